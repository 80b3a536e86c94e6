// The watermark table in DynamoDB: a consistent read, and a conditional write that DynamoDB applies
// only when the stored (level, round) is strictly below the new one. That condition, not the read,
// is what makes two concurrent requests unable to both record a signature at one (level, round).
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { errorName } from './dynamo-errors.js';
import { InternalError, UpstreamFailure } from './errors.js';
import type { Kind } from './operation.js';
import type { Watermark } from './watermark.js';

export interface WatermarkScope {
  readonly pkh: string;
  readonly chainId: string;
  readonly kind: Kind;
}

export interface WatermarkStore {
  read(key: string): Promise<Watermark | undefined>;
  /** Records `next` if the stored watermark is absent or strictly below it; false if the condition failed. */
  advance(key: string, next: Watermark, scope: WatermarkScope): Promise<boolean>;
}

const ADVANCE_CONDITION =
  'attribute_not_exists(pk) OR #level < :level OR (#level = :level AND #round < :round)';

export class DynamoWatermarkStore implements WatermarkStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(key: string): Promise<Watermark | undefined> {
    let item;
    try {
      ({ Item: item } = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: key } }, ConsistentRead: true }),
      ));
    } catch (error) {
      throw new UpstreamFailure(`DynamoDB read of the watermark failed: ${errorName(error)}`);
    }
    if (item === undefined) return undefined;
    const level = Number(item['level']?.N);
    const round = Number(item['round']?.N);
    const digest = item['digest']?.S;
    const signature = item['signature']?.S;
    if (!Number.isSafeInteger(level) || !Number.isSafeInteger(round) || digest === undefined || signature === undefined) {
      // A damaged item must not be read as "no watermark": refuse until an operator repairs it.
      throw new InternalError(`watermark item ${key} is malformed; refusing to sign until it is repaired`);
    }
    return { level, round, digest, signature };
  }

  async advance(key: string, next: Watermark, scope: WatermarkScope): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: key },
            level: { N: String(next.level) },
            round: { N: String(next.round) },
            digest: { S: next.digest },
            signature: { S: next.signature },
            pkh: { S: scope.pkh },
            chain_id: { S: scope.chainId },
            kind: { S: scope.kind },
            updated_at: { S: this.now().toISOString() },
          },
          ConditionExpression: ADVANCE_CONDITION,
          ExpressionAttributeNames: { '#level': 'level', '#round': 'round' },
          ExpressionAttributeValues: { ':level': { N: String(next.level) }, ':round': { N: String(next.round) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || errorName(error) === 'ConditionalCheckFailedException') {
        return false;
      }
      // The write may or may not have happened (a timeout after DynamoDB applied it; on MRSC also a
      // region cut from its region set): the signature is discarded either way, and a retry of the same
      // bytes, in this region or another, finds it stored if it was (lambda/src/dynamo-errors.ts).
      throw new UpstreamFailure(`DynamoDB write of the watermark failed: ${errorName(error)}; nothing was signed`);
    }
  }
}

export { errorName };
