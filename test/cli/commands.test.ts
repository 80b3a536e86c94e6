// The operator CLI, run as an operator runs it (bin/tezos-signer.mjs, the committed dist/cli.mjs),
// against the local stack: outputs, exit codes, and that `check` never moves a watermark.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DeleteTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSigner, type RunningSigner } from '../../cli/serve.js';
import { LOCAL_TABLE } from '../../cli/local-stack.js';
import { parseSecretKey } from '../../local/secret-keys.js';
import { signRequest } from '../conformance/suite.js';
import { payloadHex, randomChainId } from '../support/payloads.js';
import { encodeChainId } from '../../lambda/src/base58.js';
import { SELF_TEST_CHAIN_ID } from '../../lambda/src/self-test.js';

const BIN = resolve(import.meta.dirname, '../../bin/tezos-signer.mjs');
const BUNDLE = resolve(import.meta.dirname, '../../lambda/dist/handler.mjs');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('tezos-signer CLI on the local stack', () => {
  let dir: string;
  let signer: RunningSigner;
  let pkh: string;
  let authorizedSecret: string;

  const scan = async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: signer.stack!.credentials, endpoint: signer.stack!.dynamoUrl });
    const { Items = [] } = await client.send(new ScanCommand({ TableName: LOCAL_TABLE, ConsistentRead: true }));
    client.destroy();
    return JSON.stringify(Items.sort((a, b) => a['pk']!.S!.localeCompare(b['pk']!.S!)));
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signer-cli-'));
    signer = await startSigner({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'data'), bundle: BUNDLE });
    authorizedSecret = signer.stack!.state.authorizedSecretKey;
    pkh = ((await (await fetch(`${signer.url}/known_keys`)).json()) as { known_keys: string[] }).known_keys[0]!;
  });

  afterAll(async () => {
    await signer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('--help lists every command; an unknown command exits 2', async () => {
    const help = await cli('--help');
    for (const name of ['serve', 'keys', 'authorized-key', 'setup-baker', 'check', 'watermarks']) expect(help.stdout).toContain(name);
    expect((await cli('nope')).code).toBe(2);
    expect((await cli('check')).code).toBe(2);
  });

  test('authorized-key new: a key that imports, to a 0600 file that is never overwritten', async () => {
    const printed = await cli('authorized-key', 'new', '--json');
    const facts = JSON.parse(printed.stdout) as { publicKey: string; secretKey: string; importCommand: string };
    expect(parseSecretKey(facts.secretKey).publicKey.encoded).toBe(facts.publicKey);
    expect(facts.importCommand).toContain(`unencrypted:${facts.secretKey}`);
    const file = join(dir, 'auth.key');
    const written = await cli('authorized-key', 'new', '--curve', 'p256', '--out', file);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/p2pk/);
    expect(written.stdout).not.toMatch(/p2sk/); // the secret went to the file only
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await cli('authorized-key', 'new', '--out', file)).code).toBe(2); // never overwritten: a usage error
  });

  test('check: passes against the signer, signs the self-test through the table and KMS, touches no baker watermark', async () => {
    const chain = randomChainId();
    const key = parseSecretKey(authorizedSecret);
    expect((await signRequest({ url: signer.url, pkh, authorizedSecretKey: authorizedSecret }, key, payloadHex({ kind: 'block', chainId: chain, level: 9, round: 0 }))).status).toBe(200);
    const bakerItems = async () => JSON.stringify((JSON.parse(await scan()) as { pk: { S: string } }[]).filter((item) => !item.pk.S.includes(`#${encodeChainId(SELF_TEST_CHAIN_ID)}#`)));
    const before = await bakerItems();
    const result = await cli('check', signer.url, '--authorized-secret-key', authorizedSecret, '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; results: { check: string; ok: boolean; detail: string }[] };
    expect(report.ok).toBe(true);
    expect(report.results.length).toBe(6);
    expect(report.results.find((r) => r.check.includes('transfer'))).toMatchObject({ check: 'an authenticated transfer is refused by the payload policy (403)', ok: true });
    expect(report.results.find((r) => r.check.includes('self-test'))).toMatchObject({ ok: true, detail: expect.stringMatching(/^spsig1/) });
    expect(await bakerItems()).toBe(before);
    const selfTestItem = (JSON.parse(await scan()) as { pk: { S: string } }[]).filter((item) => item.pk.S === `${pkh}#${encodeChainId(SELF_TEST_CHAIN_ID)}#attestation`);
    expect(selfTestItem).toHaveLength(1);
    // A second check at once raises the self-test round again (a real Sign and write, not a stored answer).
    expect((await cli('check', signer.url, '--authorized-secret-key', authorizedSecret)).code).toBe(0);
  });

  test('check: a missing watermark table fails (1) on the self-test, with a line naming the table', async () => {
    // One embedded stack at a time in this process: the handler's credentials are per start.
    await signer.close();
    const other = await startSigner({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'no-table'), bundle: BUNDLE });
    try {
      const client = new DynamoDBClient({ region: 'us-east-1', credentials: other.stack!.credentials, endpoint: other.stack!.dynamoUrl });
      await client.send(new DeleteTableCommand({ TableName: LOCAL_TABLE }));
      client.destroy();
      const result = await cli('check', other.url, '--authorized-secret-key', other.stack!.state.authorizedSecretKey);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^FAIL the self-test is signed through the watermark table and KMS, and verifies .*\n {5}the watermark table is missing or the signer role cannot read it: DynamoDB read of the watermark failed: ResourceNotFoundException/m);
      expect(result.stdout).toMatch(/^ok   an authenticated transfer is refused by the payload policy/m);
    } finally {
      await other.close();
      signer = await startSigner({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'data'), bundle: BUNDLE });
    }
  });

  test('check: a key the signer does not authorize fails (1); no signer there is unreachable (3)', async () => {
    const stranger = parseSecretKey(JSON.parse((await cli('authorized-key', 'new', '--json')).stdout).secretKey);
    const failed = await cli('check', signer.url, '--authorized-secret-key', stranger.encoded, '--json');
    expect(failed.code).toBe(1);
    // No "ok" for the transfer: with an unauthorized key a 403 proves nothing about the payload policy,
    // and sending it would count as an authentication failure (an attack) in the AuthFailures metric.
    const results = (JSON.parse(failed.stdout) as { results: { check: string; ok: boolean; skipped?: boolean; detail: string }[] }).results;
    const transfer = results.find((r) => r.check.includes('transfer'))!;
    expect(transfer).toMatchObject({ ok: false, skipped: true, detail: expect.stringMatching(/does not list .* as authorized/) });
    const text = await cli('check', signer.url, '--authorized-secret-key', stranger.encoded);
    expect(text.stdout).toMatch(/^SKIP an authenticated transfer is refused by the payload policy/m);
    expect(text.stdout).not.toMatch(/^ok .*transfer/m);
    expect((await cli('check', 'http://127.0.0.1:9', '--authorized-secret-key', stranger.encoded)).code).toBe(3);
  });

  test('setup-baker: reads the pkh from the signer and prints the octez sequence', async () => {
    const result = await cli('setup-baker', '--url', signer.url, '--delegate', 'mybaker', '--json');
    const { steps } = JSON.parse(result.stdout) as { steps: { command: string }[] };
    const commands = steps.map((s) => s.command).join('\n');
    expect(commands).toContain(`octez-client import secret key consensus ${signer.url}/${pkh}`);
    expect(commands).toContain('octez-client set consensus key for mybaker to consensus');
    // octez-baker takes the consensus key's alias (and the delegate's during the transition): octez
    // docs/user/key-management.rst, "Baking With a Consensus Key" (cited in docs/walkthrough.md).
    expect(commands).toMatch(/^octez-baker run with local node \S+ consensus mybaker /m);
  });

  test('keys: the consensus key from the local KMS, its pkh as the signer serves it', async () => {
    const result = await cli('keys', '--data-dir', join(dir, 'data'), '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ pkh, publicKey: expect.stringMatching(/^sppk/), keyId: expect.stringContaining(signer.stack!.state.kmsKeyIds[0]!), curve: 'secp256k1' }]);
  });

  test('watermarks: show, set only upward, and the signer honours the raised watermark', async () => {
    const key = parseSecretKey(authorizedSecret);
    const chain = randomChainId();
    const chainId = encodeChainId(chain);
    expect((await signRequest({ url: signer.url, pkh, authorizedSecretKey: authorizedSecret }, key, payloadHex({ kind: 'attestation', chainId: chain, level: 100, round: 0 }))).status).toBe(200);
    await signer.close(); // the embedded database allows one process

    const data = join(dir, 'data');
    const shown = JSON.parse((await cli('watermarks', 'show', '--data-dir', data, '--chain', chainId, '--json')).stdout) as { kind: string; level: number }[];
    expect(shown).toEqual([expect.objectContaining({ pkh, chainId, kind: 'attestation', level: 100, round: 0, operatorSet: false })]);

    const setTo = (level: string) => cli('watermarks', 'set', '--data-dir', data, '--pkh', pkh, '--chain', chainId, '--kind', 'attestation', '--level', level, '--round', '0', '--yes');
    expect((await setTo('50')).code).toBe(1); // never lowered
    expect((await setTo('100')).code).toBe(1); // nor set equal
    expect((await setTo('200')).code).toBe(0);
    // A pkh the signer does not serve: a watermark for it would protect nothing. Refused, unless --force.
    const stranger = parseSecretKey(JSON.parse((await cli('authorized-key', 'new', '--json')).stdout).secretKey).publicKey.pkh.encoded;
    const setStranger = (...extra: string[]) => cli('watermarks', 'set', '--data-dir', data, '--pkh', stranger, '--chain', chainId, '--kind', 'block', '--level', '7', '--round', '0', '--yes', ...extra);
    const refused = await setStranger();
    expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`--pkh ${stranger} is not a key the signer serves`) });
    expect(JSON.parse((await cli('watermarks', 'show', '--data-dir', data, '--pkh', stranger, '--json')).stdout)).toEqual([]);
    expect((await setStranger('--force')).code).toBe(0);
    expect(JSON.parse((await cli('watermarks', 'show', '--data-dir', data, '--pkh', stranger, '--json')).stdout)).toEqual([expect.objectContaining({ level: 7, operatorSet: true })]);
    expect((await cli('watermarks', 'set', '--data-dir', data, '--pkh', pkh, '--chain', chainId, '--kind', 'attestation', '--level', '300', '--round', '0')).code).toBe(2); // no terminal, no --yes

    signer = await startSigner({ port: 0, host: '127.0.0.1', dataDir: data, bundle: BUNDLE });
    const target = { url: signer.url, pkh, authorizedSecretKey: authorizedSecret };
    const at200 = await signRequest(target, key, payloadHex({ kind: 'attestation', chainId: chain, level: 200, round: 0 }));
    expect(at200.status).toBe(409);
    // Nothing was signed at 200: the refusal says who put the watermark there.
    expect(JSON.stringify(at200.body)).toContain('the attestation watermark was set by an operator (tezos-signer watermarks set) to level 200 round 0');
    expect(JSON.stringify(at200.body)).toContain('only attestations above it can be signed'); // not "a attestation"
    expect(JSON.stringify(at200.body)).not.toContain('already signed');
    expect((await signRequest(target, key, payloadHex({ kind: 'attestation', chainId: chain, level: 201, round: 0 }))).status).toBe(200);
  });
});
