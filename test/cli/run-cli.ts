// Runs the operator CLI as an operator runs it: bin/tezos-signer.mjs (the committed dist/cli.mjs) in a
// child process, with an environment that cannot reach AWS: no credentials or region from the
// machine, no instance metadata lookup, one attempt per call.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../bin/tezos-signer.mjs');
export const ROOT = resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a host without any AWS configuration; `extra` adds to it. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('SIGNER_')) env[k] = v;
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: resolve(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: resolve(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    NODE_NO_WARNINGS: '1',
    ...extra,
  };
}

export function runNode(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { env: options.env ?? { ...process.env, NODE_NO_WARNINGS: '1' }, cwd: options.cwd ?? ROOT, timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export function cli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return runNode([BIN, ...args], options);
}
