// Every command's usage errors, and the exit codes of the documented table (README "Operator CLI"):
// 0 ok, 1 a check failed, 2 usage, 3 unreachable, 4 a key or table that does not work. One row per
// case: arguments, environment, exit code and what the message must say. Every usage error has one
// shape ("tezos-signer <cmd>: …; see --help"), and each row runs in an empty working folder that it
// must leave empty (no .signer-data). Nothing here reaches beyond loopback: AWS endpoints point at
// local servers or at a closed loopback port, and the environment carries no AWS configuration.
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalKms, type LocalKms } from '../../local/kms-server.js';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb.js';
import { generateSecretKey } from '../../local/secret-keys.js';
import { randomCredentials } from '../../local/sigv4.js';
import { cli, isolatedEnv } from './run-cli.js';

/** Nothing listens there: "unreachable" without leaving the machine. */
const CLOSED = 'http://127.0.0.1:9';
const secret = generateSecretKey('secp256k1');
const pkh = secret.publicKey.pkh.encoded;

interface Row {
  name: string;
  args: string[];
  code: number;
  message: RegExp;
  /** Added to the isolated environment; `$KMS`/`$DDB` are replaced by the local endpoints, `$KEY` by a key of that KMS. */
  env?: Record<string, string>;
  /** A secret that must not appear in the output. */
  hidden?: string;
}

// The local endpoints of this suite check SigV4 with credentials of their own (local/sigv4.ts).
const LOCAL_CREDENTIALS = randomCredentials();
const AWS_LOCAL = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey };

const ROWS: Row[] = [
  // tezos-signer
  { name: 'no command', args: [], code: 2, message: /^tezos-signer: a command is required .*; see --help$/m },
  { name: 'unknown command', args: ['nope'], code: 2, message: /^tezos-signer: unknown command: nope; see --help$/m },
  { name: '--help', args: ['--help'], code: 0, message: /setup-baker/ },
  { name: '--version', args: ['--version'], code: 0, message: /^tezos-signer \d+\.\d+\.\d+\n$/ },
  // serve
  { name: 'serve: unknown flag', args: ['serve', '--nope'], code: 2, message: /^tezos-signer serve: Unknown option '--nope'; see --help$/m },
  { name: 'serve: a flag without its value', args: ['serve', '--port'], code: 2, message: /^tezos-signer serve: Option '--port <value>' argument missing; see --help$/m },
  { name: 'serve: bad port', args: ['serve', '--port', 'x'], code: 2, message: /--port: not a port number/ },
  { name: 'serve: a secret key as authorized key (not echoed)', args: ['serve', '--authorized-key', secret.encoded], code: 2, message: /is a secret key \(spsk…\): give its public key/, hidden: secret.encoded },
  { name: 'serve: not a public key', args: ['serve', '--authorized-key', 'sppkNOPE'], code: 2, message: /not a public key/ },
  { name: 'serve: key id without table', args: ['serve', '--kms-key-id', 'k'], code: 2, message: /both --kms-key-id and --table/ },
  { name: 'serve: real AWS without authorized key', args: ['serve', '--kms-key-id', 'k', '--table', 't'], code: 2, message: /needs --authorized-key/ },
  { name: 'serve: bad chain id', args: ['serve', '--allowed-chain-id', 'NetNope'], code: 2, message: /not a chain id/ },
  { name: 'serve: `any` with a chain id', args: ['serve', '--allowed-chain-id', 'any', '--allowed-chain-id', 'NetXdQprcVkpaWU'], code: 2, message: /`any` cannot be combined/ },
  { name: 'serve: a host name, not an address', args: ['serve', '--host', 'localhost'], code: 2, message: /--host: an IP address/ },
  { name: 'serve: an unknown Function URL authorization', args: ['serve', '--function-url-auth', 'AWS_IAM'], code: 2, message: /--function-url-auth: none or aws_iam, not AWS_IAM/ },
  { name: 'serve: no such bundle', args: ['serve', '--bundle', '$TMP/none.mjs'], code: 2, message: /--bundle .*none\.mjs: no such file/ },
  { name: 'serve: real AWS, no such KMS key: exit 4 before listening', args: ['serve', '--port', '0', '--kms-key-id', '00000000-0000-0000-0000-000000000000', '--table', 'tbl', '--authorized-key', secret.publicKey.encoded], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_KMS: '$KMS', AWS_ENDPOINT_URL_DYNAMODB: '$DDB' }, code: 4, message: /KMS key 00000000-0000-0000-0000-000000000000: NotFoundException/ },
  { name: 'serve: real AWS, a table name the signer refuses', args: ['serve', '--port', '0', '--kms-key-id', '$KEY', '--table', 't', '--authorized-key', secret.publicKey.encoded], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_KMS: '$KMS', AWS_ENDPOINT_URL_DYNAMODB: '$DDB' }, code: 2, message: /invalid signer configuration: SIGNER_TABLE_NAME is missing or not a DynamoDB table name; see --help/ },
  { name: 'serve: real AWS, no such table: exit 4 before listening', args: ['serve', '--port', '0', '--kms-key-id', '$KEY', '--table', 'nope', '--authorized-key', secret.publicKey.encoded], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_KMS: '$KMS', AWS_ENDPOINT_URL_DYNAMODB: '$DDB' }, code: 4, message: /DynamoDB table nope: ResourceNotFoundException/ },
  { name: 'serve: real AWS, KMS unreachable: exit 3', args: ['serve', '--port', '0', '--kms-key-id', '$KEY', '--table', 'tbl', '--authorized-key', secret.publicKey.encoded], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_KMS: CLOSED, AWS_ENDPOINT_URL_DYNAMODB: '$DDB' }, code: 3, message: /KMS key / },
  // keys
  { name: 'keys: unknown flag', args: ['keys', '--nope'], code: 2, message: /Unknown option/ },
  { name: 'keys: no region', args: ['keys'], code: 2, message: /Region is missing: give --region R/ },
  // The help says what the code does without an AWS flag (no silent fallback to .signer-data).
  { name: 'keys --help: no region is exit 2', args: ['keys', '--help'], code: 0, message: /without a region it stops with exit code 2/ },
  { name: 'keys: no such key (NotFound)', args: ['keys', '--kms-key-id', 'nope'], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_KMS: '$KMS' }, code: 4, message: /NotFoundException/ },
  { name: 'keys: KMS unreachable', args: ['keys'], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_KMS: CLOSED }, code: 3, message: /KMS in us-east-1/ },
  { name: 'keys: no stack at --data-dir', args: ['keys', '--data-dir', '$TMP/typo'], code: 2, message: /no embedded stack there/ },
  // authorized-key
  { name: 'authorized-key: no subcommand', args: ['authorized-key'], code: 2, message: /expected `authorized-key new`/ },
  { name: 'authorized-key: bad curve', args: ['authorized-key', 'new', '--curve', 'rsa'], code: 2, message: /--curve: one of/ },
  { name: 'authorized-key: --out exists', args: ['authorized-key', 'new', '--out', '$TMP/exists'], code: 2, message: /the file exists \(never overwritten\)/ },
  { name: 'authorized-key: --out folder missing', args: ['authorized-key', 'new', '--out', '$TMP/no/such/file'], code: 2, message: /its folder does not exist/ },
  // setup-baker
  { name: 'setup-baker: no --url', args: ['setup-baker'], code: 2, message: /--url is required/ },
  { name: 'setup-baker: URL without scheme', args: ['setup-baker', '--url', '127.0.0.1:6732'], code: 2, message: /not an http\(s\) URL/ },
  { name: 'setup-baker: bad --pkh', args: ['setup-baker', '--url', CLOSED, '--pkh', 'tz1notvalid'], code: 2, message: /--pkh: not a tz1\/tz2\/tz3 address/ },
  { name: 'setup-baker: positional', args: ['setup-baker', 'extra'], code: 2, message: /Unexpected argument/ },
  { name: 'setup-baker: signer unreachable', args: ['setup-baker', '--url', CLOSED], code: 3, message: /fetch failed|ECONNREFUSED/ },
  // check
  { name: 'check: no URL', args: ['check'], code: 2, message: /expected one URL/ },
  { name: 'check: URL without scheme', args: ['check', '127.0.0.1:6732', '--authorized-secret-key', secret.encoded], code: 2, message: /not an http\(s\) URL: 127\.0\.0\.1:6732/ },
  { name: 'check: bad --pkh', args: ['check', CLOSED, '--pkh', 'tz1notvalid', '--authorized-secret-key', secret.encoded], code: 2, message: /--pkh: not a tz1\/tz2\/tz3 address/ },
  { name: 'check: no key', args: ['check', CLOSED], code: 2, message: /give the authorized key/ },
  { name: 'check: unreadable key file', args: ['check', CLOSED, '--authorized-key-file', '$TMP/none'], code: 2, message: /cannot read it \(ENOENT\)/ },
  { name: 'check: not a secret key', args: ['check', CLOSED, '--authorized-secret-key', 'spskNOPE'], code: 2, message: /secret key/i },
  { name: 'check: unreachable', args: ['check', CLOSED, '--authorized-secret-key', secret.encoded], code: 3, message: /unreachable/ },
  // watermarks
  { name: 'watermarks: no subcommand', args: ['watermarks'], code: 2, message: /expected `watermarks show` or `watermarks set`/ },
  { name: 'watermarks show: no --table', args: ['watermarks', 'show'], code: 2, message: /--table is required/ },
  { name: 'watermarks show: no stack at --data-dir', args: ['watermarks', 'show', '--data-dir', '$TMP/typo'], code: 2, message: /no embedded stack there/ },
  { name: 'watermarks show: no region', args: ['watermarks', 'show', '--table', 't'], code: 2, message: /Region is missing/ },
  { name: 'watermarks show: no such table', args: ['watermarks', 'show', '--table', 'nope'], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_DYNAMODB: '$DDB' }, code: 4, message: /ResourceNotFoundException/ },
  { name: 'watermarks show: DynamoDB unreachable', args: ['watermarks', 'show', '--table', 't'], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_DYNAMODB: CLOSED }, code: 3, message: /DynamoDB table t/ },
  { name: 'watermarks set: no --pkh', args: ['watermarks', 'set', '--table', 't'], code: 2, message: /--pkh: the consensus key's tz address is required/ },
  { name: 'watermarks set: bad chain', args: ['watermarks', 'set', '--table', 't', '--pkh', pkh, '--chain', 'x'], code: 2, message: /--chain: a chain id/ },
  { name: 'watermarks set: bad kind', args: ['watermarks', 'set', '--table', 't', '--pkh', pkh, '--chain', 'NetXdQprcVkpaWU', '--kind', 'transfer'], code: 2, message: /--kind: block, preattestation or attestation/ },
  { name: 'watermarks set: bad level', args: ['watermarks', 'set', '--table', 't', '--pkh', pkh, '--chain', 'NetXdQprcVkpaWU', '--kind', 'block', '--level', '2147483648', '--round', '0'], code: 2, message: /--level: a non-negative int32/ },
  { name: 'watermarks set: pkh not served', args: ['watermarks', 'set', '--table', 't', '--pkh', pkh, '--chain', 'NetXdQprcVkpaWU', '--kind', 'block', '--level', '1', '--round', '0', '--yes'], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_KMS: '$KMS' }, code: 2, message: /is not a key the signer serves .*--force/ },
  { name: 'watermarks set: no terminal and no --yes, before any AWS call', args: ['watermarks', 'set', '--table', 't', '--pkh', pkh, '--chain', 'NetXdQprcVkpaWU', '--kind', 'block', '--level', '1', '--round', '0'], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_KMS: CLOSED }, code: 2, message: /stdin is not a terminal: pass --yes/ },
  // The help states that code (issue 19: it said 1).
  { name: 'watermarks --help: no terminal is exit 2', args: ['watermarks', '--help'], code: 0, message: /no terminal and no --yes/ },
  { name: 'watermarks set: KMS unreachable', args: ['watermarks', 'set', '--table', 't', '--pkh', pkh, '--chain', 'NetXdQprcVkpaWU', '--kind', 'block', '--level', '1', '--round', '0', '--yes'], env: { ...AWS_LOCAL, AWS_ENDPOINT_URL_KMS: CLOSED }, code: 3, message: /KMS in us-east-1/ },
  // cost (also `npm run cost`)
  { name: 'cost: --help', args: ['cost', '--help'], code: 0, message: /usage: tezos-signer cost [\s\S]*--flood-rps N[\s\S]*--api-rate-limit RPS/ },
  { name: 'cost: unknown flag', args: ['cost', '--nope'], code: 2, message: /^tezos-signer cost: Unknown option '--nope'; see --help$/m },
  { name: 'cost: not a number', args: ['cost', '--block-seconds', 'x'], code: 2, message: /^tezos-signer cost: --block-seconds: not a positive number: x; see --help$/m },
  { name: 'cost: a zero flood', args: ['cost', '--flood-rps', '0'], code: 2, message: /^tezos-signer cost: --flood-rps: not a positive number: 0; see --help$/m },
  // node:util's three lines for a flag whose value starts with '-' become one (it was multi-line).
  { name: 'cost: a flag value that starts with a dash', args: ['cost', '--flood-rps', '-5'], code: 2, message: /^tezos-signer cost: --flood-rps needs a value \(write --flood-rps=-… for one that starts with '-'\); see --help$/m },
  { name: 'cost: a negative refusal time', args: ['cost', '--flood-rps', '10', '--flood-refusal-ms=-1'], code: 2, message: /--flood-refusal-ms: not a non-negative number: -1; see --help/ },
  { name: 'cost: a flood flag without --flood-rps', args: ['cost', '--api-rate-limit', '50'], code: 2, message: /^tezos-signer cost: --api-rate-limit needs --flood-rps; see --help$/m },
  { name: 'cost: --multi-region with a flood', args: ['cost', '--multi-region', '--flood-rps', '10'], code: 2, message: /--multi-region and --flood-rps print different reports/ },
];

describe('usage errors and exit codes of every command', () => {
  let tmp: string;
  let kms: LocalKms;
  let dynamo: LocalDynamo;
  let keyId = '';

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'signer-usage-'));
    await writeFile(join(tmp, 'exists'), 'keep me\n');
    kms = await startLocalKms({ dir: join(tmp, 'kms'), port: 0, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    dynamo = await startLocalDynamo({ port: 0, credentials: LOCAL_CREDENTIALS });
    const client = new KMSClient({ region: 'us-east-1', endpoint: kms.url, credentials: LOCAL_CREDENTIALS });
    keyId = (await client.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_SECG_P256K1' }))).KeyMetadata!.KeyId!;
    client.destroy();
  });

  afterAll(async () => {
    await Promise.allSettled([kms?.close(), dynamo?.close()]);
    await rm(tmp, { recursive: true, force: true });
  });

  test.concurrent.for(ROWS.map((row, index) => ({ ...row, index })))('$name → $code', async (row) => {
    const fill = (s: string) => s.replaceAll('$TMP', tmp).replaceAll('$KMS', kms.url).replaceAll('$DDB', dynamo.url).replaceAll('$KEY', keyId);
    const env = isolatedEnv(tmp, Object.fromEntries(Object.entries(row.env ?? {}).map(([k, v]) => [k, fill(v)])));
    const args = row.args.map(fill);
    const cwd = join(tmp, `cwd-${row.index}`);
    await mkdir(cwd);
    const result = await cli(args, { env, cwd });
    const output = result.stdout + result.stderr;
    expect({ code: result.code, output }).toEqual({ code: row.code, output: expect.stringMatching(row.message) });
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/); // never a stack trace
    if (row.hidden) expect(output).not.toContain(row.hidden);
    // Nothing left behind in the working folder: no .signer-data from a command that did not start.
    expect(await readdir(cwd)).toEqual([]);
    if (row.code === 2) {
      const command = row.args[0] !== undefined && !row.args[0].startsWith('-') && row.message.source.includes('unknown command') === false ? ` ${row.args[0]}` : '';
      expect(result.stderr).toMatch(new RegExp(`^tezos-signer${command}: .+; see --help\\n$`));
    }
  });

  test('a mistyped --data-dir is refused, not created', async () => {
    const env = isolatedEnv(tmp);
    await cli(['keys', '--data-dir', join(tmp, 'typo-keys')], { env });
    await cli(['watermarks', 'show', '--data-dir', join(tmp, 'typo-show')], { env });
    for (const dir of ['typo-keys', 'typo-show', 'typo']) await expect(stat(join(tmp, dir))).rejects.toThrow(/ENOENT/);
    expect((await import('node:fs/promises').then((fs) => fs.readFile(join(tmp, 'exists'), 'utf8')))).toBe('keep me\n');
  });
});
