// The signer's own DescribeTable command (lambda/src/describe-table.ts, a two-field output schema that
// keeps the SDK's full TableDescription schema out of the Lambda bundle) through the real DynamoDB client:
// against dynalite, which describes every table as regional, and through the fault proxy rewriting the
// answer as an MRSC replica's would read.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeTableFacts } from '../../lambda/src/describe-table.js';
import { ensureWatermarkTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamodb.js';
import { startFaultProxy, type FaultProxy } from '../../local/fault-proxy.js';
import { randomCredentials } from '../../local/sigv4.js';

const credentials = randomCredentials();
let dynamo: LocalDynamo;
let proxy: FaultProxy;
beforeAll(async () => {
  dynamo = await startLocalDynamo({ credentials });
  await ensureWatermarkTable(new DynamoDBClient({ region: 'us-east-1', credentials, endpoint: dynamo.url }), 'mrsc');
  proxy = await startFaultProxy({ target: dynamo.url, credentials });
});
afterAll(async () => {
  await proxy.close();
  await dynamo.close();
});

test('a regional table: no MultiRegionConsistency', async () => {
  const client = new DynamoDBClient({ region: 'us-east-1', credentials, endpoint: dynamo.url });
  expect(await describeTableFacts(client, 'mrsc')).toEqual({});
});

test('an MRSC replica: MultiRegionConsistency STRONG read from the answer, the other fields ignored', async () => {
  proxy.faults['DescribeTable'] = {
    rewrite: ({ body }) => {
      const answer = JSON.parse(body.toString()) as { Table: Record<string, unknown> };
      answer.Table['MultiRegionConsistency'] = 'STRONG';
      answer.Table['Replicas'] = [{ RegionName: 'us-east-2', ReplicaStatus: 'ACTIVE' }];
      answer.Table['GlobalTableWitnesses'] = [{ RegionName: 'us-west-2', WitnessStatus: 'ACTIVE' }];
      return { body: JSON.stringify(answer) };
    },
  };
  const client = new DynamoDBClient({ region: 'us-east-1', credentials, endpoint: proxy.url });
  expect(await describeTableFacts(client, 'mrsc')).toEqual({ MultiRegionConsistency: 'STRONG' });
});

test('a missing table is an error, not "not MRSC"', async () => {
  const client = new DynamoDBClient({ region: 'us-east-1', credentials, endpoint: dynamo.url });
  await expect(describeTableFacts(client, 'absent')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});
