// The high watermark: decide() (lambda/src/watermark.ts) on its own, the sequences of
// watermark-sequence.json replayed through the Signer with KMS and the table in memory, and the
// DynamoDB store's read and conditional write (lambda/src/watermark-store.ts) against a fake client.
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import sequences from '../fixtures/watermark-sequence.json' with { type: 'json' };
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { InternalError, UpstreamFailure } from '../../lambda/src/errors.js';
import type { Kind } from '../../lambda/src/operation.js';
import { decodeSignature, isHighS, verifySignature } from '../../lambda/src/signature.js';
import { decide, describe as describePosition, isAbove, watermarkKey, type Watermark } from '../../lambda/src/watermark.js';
import { DynamoWatermarkStore } from '../../lambda/src/watermark-store.js';
import { CONSENSUS_TZ2, CRYPTO, VECTORS, blake256, post, publicKeyOf, rig, vectorHex } from './helpers.js';

const stored: Watermark = { level: 10, round: 2, digest: 'aa'.repeat(32), signature: 'spsig1stored' };

describe('decide()', () => {
  test('no watermark: sign', () => {
    expect(decide(undefined, { level: 0, round: 0, digest: 'x' }, 'block')).toEqual({ action: 'sign' });
  });

  test.each([
    [11, 0],
    [11, 5],
    [10, 3],
    [10, 100],
    [2 ** 31 - 1, 0],
  ])('above (level %i round %i): sign', (level, round) => {
    expect(decide(stored, { level, round, digest: 'bb'.repeat(32) }, 'attestation')).toEqual({ action: 'sign' });
    expect(isAbove({ level, round }, stored)).toBe(true);
  });

  test('same level and round, same digest: the stored signature again', () => {
    expect(decide(stored, { level: 10, round: 2, digest: stored.digest }, 'block')).toEqual({ action: 'repeat', signature: 'spsig1stored' });
  });

  test('same level and round, other digest: refused, naming the stored position', () => {
    const d = decide(stored, { level: 10, round: 2, digest: 'bb'.repeat(32) }, 'preattestation');
    expect(d.action).toBe('refuse');
    expect(d.action === 'refuse' && d.message).toBe(
      'watermark: a different preattestation was already signed at level 10 round 2; refusing to sign other bytes there',
    );
  });

  test.each([
    [10, 1],
    [10, 0],
    [9, 2],
    [9, 100],
    [0, 0],
  ])('below (level %i round %i): refused, naming the request and the stored position', (level, round) => {
    const d = decide(stored, { level, round, digest: stored.digest }, 'block');
    expect(d).toEqual({
      action: 'refuse',
      message: `watermark: block at level ${level} round ${round} is not above the block watermark at level 10 round 2`,
    });
    expect(isAbove({ level, round }, stored)).toBe(false);
  });

  test('the table key and the position text', () => {
    expect(watermarkKey('tz2abc', 'NetXdQprcVkpaWU', 'attestation')).toBe('tz2abc#NetXdQprcVkpaWU#attestation');
    expect(describePosition({ level: 7, round: 2 })).toBe('level 7 round 2');
  });
});

describe('watermark-sequence.json through the Signer (KMS randomized, high-S every other call)', () => {
  const consensus = publicKeyOf(CONSENSUS_TZ2);
  const KINDS: Kind[] = ['block', 'preattestation', 'attestation'];

  for (const sequence of sequences.sequences) {
    test(sequence.name, async () => {
      const r = rig();
      const released = new Map<string, string>();
      for (const [name, expected] of sequence.steps as [string, string][]) {
        const v = VECTORS[name]!;
        const hex = vectorHex(name);
        const before = new Map(KINDS.map((k) => [k, [...r.store.items.entries()].find(([key]) => key.endsWith(`#${k}`))?.[1]]));
        const signCalls = r.kms.signCalls.length;
        const a = await post(r, hex);
        if (expected === 'refused') {
          expect(a.status, name).toBe(409);
          expect(a.signature).toBeUndefined();
          const w = before.get(v.kind)!;
          expect(w, `a ${v.kind} watermark exists before ${name}`).toBeDefined();
          expect(a.message).toContain(`level ${w.level} round ${w.round}`);
          expect(r.kms.signCalls.length).toBe(signCalls);
          continue;
        }
        expect(a.status, `${name}: ${a.message}`).toBe(200);
        const signature = a.signature!;
        const bytes = decodeSignature(signature)!;
        expect(bytes.curve).toBe('secp256k1');
        expect(isHighS('secp256k1', bytes.bytes)).toBe(false);
        expect(verifySignature(consensus, blake256(fromHex(hex)), bytes.bytes)).toBe(true);
        if (expected === 'signed, same signature') {
          expect(signature).toBe(released.get(name));
          expect(r.kms.signCalls.length).toBe(signCalls);
          expect(a.record.outcome).toBe('identical_retry');
        } else {
          expect(expected).toBe('signed');
          expect(r.kms.signCalls.length).toBe(signCalls + 1);
          expect(a.record.outcome).toBe('signed');
        }
        released.set(name, signature);
      }
    });
  }

  test('the KMS stand-in really is randomized: two signers give two signatures of the same bytes', async () => {
    const hex = vectorHex('signatory-integration/A1');
    const one = await post(rig(), hex);
    const two = await post(rig(), hex);
    expect(one.signature).toMatch(/^spsig1/);
    expect(two.signature).toMatch(/^spsig1/);
    expect(one.signature).not.toBe(two.signature);
  });

  test('kinds are independent: one item per kind, each at its own position', async () => {
    const r = rig();
    for (const name of ['signatory-integration/C2', 'signatory-integration/C3', 'signatory-integration/C1']) {
      expect((await post(r, vectorHex(name))).status).toBe(200);
    }
    const chain = 'NetXo5iVw1vBoxM';
    const pkh = CRYPTO.keys.consensus_tz2.pkh;
    expect([...r.store.items.keys()].sort()).toEqual([`${pkh}#${chain}#attestation`, `${pkh}#${chain}#block`, `${pkh}#${chain}#preattestation`]);
    for (const [key, item] of r.store.items) {
      expect(item).toMatchObject({ level: 34, round: 4 });
      expect(item.scope).toEqual({ pkh, chainId: chain, kind: key.split('#')[2] });
    }
    // each item holds the digest of its own payload and the signature released for it
    const att = r.store.items.get(`${pkh}#${chain}#attestation`)!;
    expect(att.digest).toBe(CRYPTO.payload_blake2b_256);
    // a lower block is refused; the attestation watermark does not move
    const lower = await post(r, vectorHex('signatory-integration/B1'));
    expect(lower.status).toBe(409);
    expect(lower.message).toContain('level 34 round 4');
    expect(r.store.items.get(`${pkh}#${chain}#attestation`)).toBe(att);
  });

  test('the watermark is per chain: the same level on another chain is signed', async () => {
    const r = rig();
    const hex = vectorHex('signatory-integration/C3');
    expect((await post(r, hex)).status).toBe(200);
    const other = fromHex(hex);
    other[1]! ^= 0xff;
    expect((await post(r, toHex(other))).status).toBe(200);
    expect(r.store.items.size).toBe(2);
  });

  test('after a refusal, the next higher position is signed', async () => {
    const r = rig();
    expect((await post(r, vectorHex('signatory-integration/B1'))).status).toBe(200);
    expect((await post(r, vectorHex('signatory-integration/A1'))).status).toBe(409);
    expect((await post(r, vectorHex('signatory-integration/B2'))).status).toBe(409);
    expect((await post(r, vectorHex('signatory-integration/C1'))).status).toBe(200);
    expect((await post(r, vectorHex('signatory-integration/B1'))).message).toContain('level 34 round 4');
  });
});

describe('DynamoWatermarkStore', () => {
  class FakeDynamo {
    readonly commands: unknown[] = [];
    answer: (command: unknown) => unknown = () => ({});
    async send(command: unknown) {
      this.commands.push(command);
      return this.answer(command);
    }
  }
  const store = (fake: FakeDynamo) => new DynamoWatermarkStore(fake as unknown as DynamoDBClient, 'watermarks', () => new Date('2030-01-02T03:04:05.000Z'));
  const next: Watermark = { level: 34, round: 4, digest: 'cd'.repeat(32), signature: 'spsig1abc' };
  const scope = { pkh: 'tz2x', chainId: 'NetXdQprcVkpaWU', kind: 'block' as const };

  test('read: a consistent GetItem of the key; an absent item is no watermark', async () => {
    const fake = new FakeDynamo();
    expect(await store(fake).read('k#1')).toBeUndefined();
    const command = fake.commands[0] as GetItemCommand;
    expect(command).toBeInstanceOf(GetItemCommand);
    expect(command.input).toEqual({ TableName: 'watermarks', Key: { pk: { S: 'k#1' } }, ConsistentRead: true });
  });

  test('read: the attributes of docs/interfaces.md', async () => {
    const fake = new FakeDynamo();
    fake.answer = () => ({ Item: { pk: { S: 'k' }, level: { N: '34' }, round: { N: '4' }, digest: { S: 'cd' }, signature: { S: 'spsig1abc' } } });
    expect(await store(fake).read('k')).toEqual({ level: 34, round: 4, digest: 'cd', signature: 'spsig1abc' });
  });

  test('read: a damaged item is refused (500), never read as "no watermark"', async () => {
    const damaged = [
      { level: { N: 'x' }, round: { N: '4' }, digest: { S: 'cd' }, signature: { S: 's' } },
      { round: { N: '4' }, digest: { S: 'cd' }, signature: { S: 's' } },
      { level: { N: '1' }, round: { N: '4' }, signature: { S: 's' } },
      { level: { N: '1' }, round: { N: '4' }, digest: { S: 'cd' } },
      { level: { N: '1e400' }, round: { N: '4' }, digest: { S: 'cd' }, signature: { S: 's' } },
      { level: { S: '1' }, round: { N: '4' }, digest: { S: 'cd' }, signature: { S: 's' } },
    ];
    for (const Item of damaged) {
      const fake = new FakeDynamo();
      fake.answer = () => ({ Item });
      await expect(store(fake).read('k')).rejects.toBeInstanceOf(InternalError);
    }
  });

  test('read: a failed call is a 503 naming the error', async () => {
    const fake = new FakeDynamo();
    fake.answer = () => {
      throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    };
    const error = await store(fake).read('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamFailure);
    expect((error as Error).message).toContain('ThrottlingException');
  });

  test('advance: a conditional PutItem, applied only strictly above', async () => {
    const fake = new FakeDynamo();
    expect(await store(fake).advance('k', next, scope)).toBe(true);
    const command = fake.commands[0] as PutItemCommand;
    expect(command).toBeInstanceOf(PutItemCommand);
    expect(command.input).toEqual({
      TableName: 'watermarks',
      Item: {
        pk: { S: 'k' },
        level: { N: '34' },
        round: { N: '4' },
        digest: { S: next.digest },
        signature: { S: 'spsig1abc' },
        pkh: { S: 'tz2x' },
        chain_id: { S: 'NetXdQprcVkpaWU' },
        kind: { S: 'block' },
        updated_at: { S: '2030-01-02T03:04:05.000Z' },
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #level < :level OR (#level = :level AND #round < :round)',
      ExpressionAttributeNames: { '#level': 'level', '#round': 'round' },
      ExpressionAttributeValues: { ':level': { N: '34' }, ':round': { N: '4' } },
    });
  });

  test('advance: a failed condition is false; any other failure is a 503 saying nothing was signed', async () => {
    const fake = new FakeDynamo();
    fake.answer = () => {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    };
    expect(await store(fake).advance('k', next, scope)).toBe(false);
    fake.answer = () => {
      throw Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' });
    };
    expect(await store(fake).advance('k', next, scope)).toBe(false);
    fake.answer = () => {
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    };
    const error = await store(fake).advance('k', next, scope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamFailure);
    expect((error as Error).message).toMatch(/TimeoutError; nothing was signed/);
    expect((error as Error).message).not.toContain('spsig1abc');
  });
});
