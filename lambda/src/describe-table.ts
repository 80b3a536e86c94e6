// DescribeTable for the multi-region check (table-mode.ts), reading one field. The SDK's own
// DescribeTableCommand carries the schema of the whole TableDescription (indexes, replicas, streams,
// archival, warm throughput…): about 6.4 kB of the Lambda bundle for a call made once per cold start.
// This command is built the way the SDK builds its commands (same builder, endpoint rules, service
// name, signing), with an output schema of the one field the check reads; the JSON protocol ignores
// members the schema does not name. test/unit/table-mode.test.ts runs it against dynalite through the
// real client.
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeBuilder } from '@smithy/core/client';
import { getEndpointPlugin } from '@smithy/core/endpoints';
import type { TableFacts } from './table-mode.js';

// DescribeTable's endpoint parameters are GetItem's: the client's common ones and the table as the
// resource of account-based endpoints (client-dynamodb's commandBuilder, _ep3 for both).
const ENDPOINT_PARAMS = GetItemCommand.getEndpointParameterInstructions();

const NS = 'com.amazonaws.dynamodb';
// Smithy schema tuples: 3 = structure, 9 = operation; member traits 0; member types 0 = string.
const INPUT = [3, NS, 'DescribeTableInput', 0, ['TableName'], [0], 1];
const TABLE = [3, NS, 'TableDescription', 0, ['MultiRegionConsistency'], [0]];
const OUTPUT = [3, NS, 'DescribeTableOutput', 0, ['Table'], [() => TABLE]];
const OPERATION = [9, NS, 'DescribeTable', 0, () => INPUT, () => OUTPUT];

const command = makeBuilder({}, 'DynamoDB_20120810', 'DynamoDBClient', getEndpointPlugin as never);
const DescribeTableFacts = command(ENDPOINT_PARAMS, () => [], 'DescribeTable', OPERATION as never) as unknown as new (input: { TableName: string }) => object;

export async function describeTableFacts(client: DynamoDBClient, tableName: string): Promise<TableFacts | undefined> {
  const output = (await client.send(new DescribeTableFacts({ TableName: tableName }) as never)) as { Table?: TableFacts };
  return output.Table;
}
