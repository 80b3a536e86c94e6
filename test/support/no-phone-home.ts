// Terraform checks for updates at every start ("checkpoint"), calling a HashiCorp server. Tests and
// tools here talk to loopback only: every child process started by a suite inherits this.
process.env['CHECKPOINT_DISABLE'] = '1';
