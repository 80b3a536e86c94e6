// The signer on a multi-Region strongly consistent (MRSC) table: every error MRSC adds to a watermark
// read or write ends in a 503 with no signature, whether or not the write was applied, and an identical
// retry through another region's signer (the same table) returns the recorded signature when it was;
// SIGNER_MULTI_REGION=true signs only once DescribeTable says STRONG (lambda/src/table-mode.ts).
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../lambda/src/config.js';
import { InternalError, UpstreamFailure } from '../../lambda/src/errors.js';
import { multiRegionGuard, multiRegionProblem, type TableFacts } from '../../lambda/src/table-mode.js';
import { DynamoWatermarkStore } from '../../lambda/src/watermark-store.js';
import { CRYPTO, MemoryStore, expectCleanError, post, rig, vectorHex } from './helpers.js';

type Attr = { S?: string; N?: string };
type Item = Record<string, Attr>;

/** One table shared by the regions' clients: GetItem, and PutItem under the signer's condition. */
class SharedTable {
  readonly items = new Map<string, Item>();
  apply(command: unknown): unknown {
    if (command instanceof GetItemCommand) {
      const item = this.items.get(command.input.Key!['pk']!.S!);
      return item ? { Item: item } : {};
    }
    if (command instanceof PutItemCommand) {
      const next = command.input.Item as Item;
      const stored = this.items.get(next['pk']!.S!);
      const level = Number(next['level']!.N);
      const round = Number(next['round']!.N);
      if (stored !== undefined && !(Number(stored['level']!.N) < level || (Number(stored['level']!.N) === level && Number(stored['round']!.N) < round))) {
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      }
      this.items.set(next['pk']!.S!, next);
      return {};
    }
    throw new Error('unexpected command');
  }
}

/** A region's DynamoDB client on the shared table; `fault` decides the next PutItem or GetItem. */
class RegionClient {
  fault: { on: 'PutItem' | 'GetItem'; error: Error; applied: boolean } | undefined;
  constructor(private readonly table: SharedTable) {}
  async send(command: unknown): Promise<unknown> {
    const op = command instanceof PutItemCommand ? 'PutItem' : 'GetItem';
    const fault = this.fault;
    if (fault?.on === op) {
      this.fault = undefined;
      if (fault.applied) this.table.apply(command);
      throw fault.error;
    }
    return this.table.apply(command);
  }
}

function awsError(name: string, attempts: number, fault: 'client' | 'server'): Error {
  return Object.assign(new Error(`${name} from the service`), { name, $fault: fault, $metadata: { attempts, httpStatusCode: fault === 'server' ? 500 : 400 } });
}

/**
 * The errors of a write in MRSC, and whether the write may have applied (docs/failover.md). The signer
 * answers each one the same way: 503, no signature.
 */
const WRITE_ERRORS: { name: string; error: () => Error; applied: boolean }[] = [
  { name: 'ReplicatedWriteConflictException (rejected: another region is writing the item)', error: () => awsError('ReplicatedWriteConflictException', 1, 'client'), applied: false },
  { name: 'ReplicatedWriteConflictException on attempt 3, after an attempt that applied', error: () => awsError('ReplicatedWriteConflictException', 3, 'client'), applied: true },
  { name: 'InternalServerError (a region cut from its region set), not applied', error: () => awsError('InternalServerError', 3, 'server'), applied: false },
  { name: 'InternalServerError, applied before the answer was lost', error: () => awsError('InternalServerError', 3, 'server'), applied: true },
  { name: 'ServiceUnavailable, applied', error: () => awsError('ServiceUnavailable', 3, 'server'), applied: true },
  { name: 'TimeoutError (the SDK gave up), applied', error: () => Object.assign(new Error('request timed out'), { name: 'TimeoutError' }), applied: true },
  { name: 'TimeoutError, not applied', error: () => Object.assign(new Error('request timed out'), { name: 'TimeoutError' }), applied: false },
  { name: 'ThrottlingException, on attempt 1', error: () => awsError('ThrottlingException', 1, 'client'), applied: false },
  { name: 'ProvisionedThroughputExceededException after a retry that applied', error: () => awsError('ProvisionedThroughputExceededException', 2, 'client'), applied: true },
  { name: 'RequestLimitExceeded', error: () => awsError('RequestLimitExceeded', 1, 'client'), applied: false },
  { name: 'a socket reset (no name the SDK knows), applied', error: () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), applied: true },
];

function twoRegions() {
  const table = new SharedTable();
  const region = () => {
    const client = new RegionClient(table);
    const r = rig({ store: new DynamoWatermarkStore(client as unknown as DynamoDBClient, 'watermarks') as unknown as MemoryStore });
    return { client, r };
  };
  return { table, a: region(), b: region() };
}

const ATTESTATION = vectorHex('signatory-unit/attestation');

describe('a failed watermark write on MRSC: 503, no signature, and an identical retry in the other region', () => {
  test.each(WRITE_ERRORS)('$name', async ({ error, applied }) => {
    const { table, a, b } = twoRegions();
    a.client.fault = { on: 'PutItem', error: error(), applied };
    const first = await post(a.r, ATTESTATION);
    expect(first.status).toBe(503);
    expect(first.signature).toBeUndefined();
    expectCleanError(first);
    expect(first.message).toMatch(/nothing was signed/);
    const recorded = [...table.items.values()][0]?.['signature']?.S;
    expect(recorded !== undefined).toBe(applied);
    if (recorded !== undefined) expect(first.raw).not.toContain(recorded);

    const retry = await post(b.r, ATTESTATION);
    expect(retry.status).toBe(200);
    if (applied) {
      // The signature region A computed and never released is the one the baker gets, once.
      expect(retry.signature).toBe(recorded);
      expect(retry.record.outcome).toBe('identical_retry');
    } else {
      expect(retry.record.outcome).toBe('signed');
      expect([...table.items.values()][0]!['signature']!.S).toBe(retry.signature);
    }
    // And region A, back, answers the same signature again: one signature for the position.
    const again = await post(a.r, ATTESTATION);
    expect(again.signature).toBe(retry.signature);
  });

  test('a failed strongly consistent read (an isolated region): 503 before any signature, the table unchanged', async () => {
    for (const error of [awsError('InternalServerError', 3, 'server'), awsError('ServiceUnavailable', 3, 'server'), Object.assign(new Error('timed out'), { name: 'TimeoutError' })]) {
      const { table, a } = twoRegions();
      a.client.fault = { on: 'GetItem', error, applied: false };
      const answer = await post(a.r, ATTESTATION);
      expect(answer.status).toBe(503);
      expect(answer.signature).toBeUndefined();
      expect(answer.message).toContain(error.name);
      expect(table.items.size).toBe(0);
    }
  });
});

describe('SIGNER_MULTI_REGION', () => {
  const base = { SIGNER_KMS_KEY_IDS: 'k1', SIGNER_TABLE_NAME: 'watermarks', SIGNER_AUTHORIZED_KEYS: CRYPTO.keys.authorized_tz2.public_key };

  test('true or false, nothing else: a typo must not turn the MRSC check off', () => {
    expect(loadConfig({ ...base, SIGNER_MULTI_REGION: 'true' }).multiRegion).toBe(true);
    expect(loadConfig({ ...base, SIGNER_MULTI_REGION: 'false' }).multiRegion).toBe(false);
    expect(loadConfig({ ...base }).multiRegion).toBe(false);
    for (const typo of ['yes', 'TRUE', '1', 'true ']) {
      expect(() => loadConfig({ ...base, SIGNER_MULTI_REGION: typo })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, SIGNER_MULTI_REGION: typo })).toThrow(/SIGNER_MULTI_REGION/);
    }
  });

  test('only MultiRegionConsistency STRONG backs a multi-region signer', () => {
    expect(multiRegionProblem('t', { MultiRegionConsistency: 'STRONG' })).toBeUndefined();
    expect(multiRegionProblem('t', { MultiRegionConsistency: 'EVENTUAL' })).toMatch(/not MRSC \(MultiRegionConsistency EVENTUAL/);
    expect(multiRegionProblem('t', {})).toMatch(/absent/);
    expect(multiRegionProblem('t', undefined)).toMatch(/absent/);
  });

  function guarded(answer: () => Promise<TableFacts | undefined>) {
    const inner = new MemoryStore();
    const calls = { describe: 0 };
    const guard = multiRegionGuard(inner, 'watermarks', async () => {
      calls.describe++;
      return answer();
    });
    return { inner, guard, calls };
  }
  const w = { level: 1, round: 0, digest: 'aa', signature: 's' };
  const scope = { pkh: 'tz2', chainId: 'Net', kind: 'block' as const };

  test.each([{ MultiRegionConsistency: 'EVENTUAL' }, {}, undefined])('a table that is not MRSC (%j): 500 on every read and write, the table never touched', async (facts) => {
    const { inner, guard, calls } = guarded(async () => facts);
    await expect(guard.read('k')).rejects.toBeInstanceOf(InternalError);
    await expect(guard.advance('k', w, scope)).rejects.toThrow(/SIGNER_MULTI_REGION=true but table watermarks is not MRSC.*refusing to sign/);
    expect(inner.reads + inner.advances).toBe(0);
    // Not kept: a table fixed later is seen at the next request.
    expect(calls.describe).toBe(2);
  });

  test('STRONG: described once for all requests, concurrent ones included, then the store is used', async () => {
    const { inner, guard, calls } = guarded(async () => ({ MultiRegionConsistency: 'STRONG' }));
    await Promise.all([guard.read('k'), guard.read('k'), guard.advance('k', w, scope)]);
    await guard.read('k');
    expect(calls.describe).toBe(1);
    expect(inner.reads).toBe(3);
    expect(inner.advances).toBe(1);
  });

  test('DescribeTable failing: 503, nothing read, described again at the next request', async () => {
    let fail = true;
    const { inner, guard, calls } = guarded(async () => {
      if (fail) throw Object.assign(new Error('x'), { name: 'InternalServerError' });
      return { MultiRegionConsistency: 'STRONG' };
    });
    const error = await guard.read('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamFailure);
    expect((error as Error).message).toMatch(/DescribeTable failed: InternalServerError; nothing was signed/);
    expect(inner.reads).toBe(0);
    fail = false;
    await guard.read('k');
    expect(calls.describe).toBe(2);
    expect(inner.reads).toBe(1);
  });

  test('through the Signer: a regional table under SIGNER_MULTI_REGION=true gets a 500 and no signature', async () => {
    const inner = new MemoryStore();
    const r = rig({ store: multiRegionGuard(inner, 'watermarks', async () => ({})) as unknown as MemoryStore });
    const answer = await post(r, ATTESTATION);
    expect(answer.status).toBe(500);
    expect(answer.signature).toBeUndefined();
    expect(answer.message).toMatch(/refusing to sign on a regional watermark/);
    expect(inner.items.size).toBe(0);
  });
});
