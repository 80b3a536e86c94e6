// The embedded DynamoDB (dynalite) through the real SDK client: the conditional write the watermark
// depends on, and persistence across restarts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureWatermarkTable, startLocalDynamo } from '../../local/dynamodb.js';
import { DynamoWatermarkStore } from '../../lambda/src/watermark-store.js';
import { randomCredentials } from '../../local/sigv4.js';

const TABLE = 'wm-test';
const CREDENTIALS = randomCredentials();
const client = (url: string) => new DynamoDBClient({ region: 'us-east-1', endpoint: url, credentials: CREDENTIALS });

describe('embedded DynamoDB', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-dynamo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the watermark store: the condition refuses equal and lower positions with ConditionalCheckFailed', async () => {
    const dynamo = await startLocalDynamo({ credentials: CREDENTIALS });
    const c = client(dynamo.url);
    try {
      await ensureWatermarkTable(c, TABLE);
      await ensureWatermarkTable(c, TABLE); // idempotent
      const store = new DynamoWatermarkStore(c, TABLE);
      const scope = { pkh: 'tz2x', chainId: 'NetX', kind: 'block' as const };
      const at = (level: number, round: number) => ({ level, round, digest: `${level}-${round}`, signature: `sig-${level}-${round}` });
      expect(await store.advance('k', at(10, 1), scope)).toBe(true);
      expect(await store.advance('k', at(10, 1), scope)).toBe(false);
      expect(await store.advance('k', at(10, 0), scope)).toBe(false);
      expect(await store.advance('k', at(9, 5), scope)).toBe(false);
      expect(await store.advance('k', at(10, 2), scope)).toBe(true);
      expect(await store.advance('k', at(11, 0), scope)).toBe(true);
      expect(await store.read('k')).toEqual(at(11, 0));
      await expect(
        c.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'k' } }, ConditionExpression: 'attribute_not_exists(pk)' })),
      ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    } finally {
      c.destroy();
      await dynamo.close();
    }
  });

  test('data persists under its folder across restarts', async () => {
    const first = await startLocalDynamo({ dir, credentials: CREDENTIALS });
    let c = client(first.url);
    await ensureWatermarkTable(c, TABLE);
    await c.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'kept' }, level: { N: '7' } } }));
    c.destroy();
    await first.close();

    const second = await startLocalDynamo({ dir, credentials: CREDENTIALS });
    c = client(second.url);
    try {
      const { Item } = await c.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'kept' } }, ConsistentRead: true }));
      expect(Item?.['level']?.N).toBe('7');
    } finally {
      c.destroy();
      await second.close();
    }
  });
});
