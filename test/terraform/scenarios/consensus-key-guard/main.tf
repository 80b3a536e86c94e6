# tf:check applies this root, then asks for plans an operator could make by mistake: each must fail on
# the consensus key guard (modules/kms-key/guard.tf). See scenario.json.
variable "key_spec" {
  type    = string
  default = "ECC_SECG_P256K1"
}

variable "guard" {
  type    = bool
  default = true
}

variable "replica_region" {
  type    = string
  default = null
}

variable "keys" {
  type    = set(string)
  default = ["consensus"]
}

provider "aws" {
  region = "eu-west-1"
}

module "kms_key" {
  source   = "../../../../modules/kms-key"
  for_each = var.keys

  alias_name       = "guard-test-${each.key}"
  key_spec         = var.key_spec
  signer_role_arns = ["arn:aws:iam::123456789012:role/guard-test-signer"]
  admin_role_arns  = ["arn:aws:iam::123456789012:role/terraform"]
  guard            = var.guard
  replica_region   = var.replica_region
}
