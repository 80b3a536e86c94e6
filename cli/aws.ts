// AWS clients for the operator commands: real AWS (standard credentials and region; endpoints from
// AWS_ENDPOINT_URL_* when set), or the embedded stack of a `serve` data folder.
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { startLocalKms } from '../local/kms-server.js';
import { startLocalDynamo } from '../local/dynamodb.js';
import { randomCredentials } from '../local/sigv4.js';
import { LOCAL_REGION, LOCAL_TABLE } from './local-stack.js';

export interface Target<C> {
  readonly client: C;
  readonly where: string;
  close(): Promise<void>;
}

export async function kmsTarget(options: { dataDir?: string; region?: string }): Promise<Target<KMSClient>> {
  if (options.dataDir) {
    // Its own endpoint on the folder's key files, with credentials only this command holds.
    const credentials = randomCredentials();
    const kms = await startLocalKms({ dir: join(options.dataDir, 'kms'), port: 0, region: LOCAL_REGION, credentials });
    const client = new KMSClient({ region: LOCAL_REGION, credentials, endpoint: kms.url });
    return { client, where: `local KMS under ${options.dataDir}`, close: async () => (client.destroy(), kms.close()) };
  }
  const client = new KMSClient(options.region ? { region: options.region } : {});
  return { client, where: `KMS in ${(await client.config.region()) ?? 'the default region'}`, close: async () => client.destroy() };
}

export async function dynamoTarget(options: { dataDir?: string; region?: string; table?: string }): Promise<Target<DynamoDBClient> & { table: string }> {
  if (options.dataDir) {
    const credentials = randomCredentials();
    let dynamo;
    try {
      dynamo = await startLocalDynamo({ dir: join(options.dataDir, 'dynamodb'), port: 0, credentials });
    } catch (error) {
      throw new Error(`cannot open the embedded DynamoDB under ${options.dataDir} (${(error as Error).message}); a running \`serve\` on the same folder holds its lock: stop it first`);
    }
    const client = new DynamoDBClient({ region: LOCAL_REGION, credentials, endpoint: dynamo.url });
    return { client, table: options.table ?? LOCAL_TABLE, where: `embedded DynamoDB under ${options.dataDir}`, close: async () => (client.destroy(), dynamo.close()) };
  }
  if (!options.table) throw new Error('--table is required with real AWS (the watermark table name: terraform output table_name)');
  const client = new DynamoDBClient(options.region ? { region: options.region } : {});
  return { client, table: options.table, where: `DynamoDB table ${options.table}`, close: async () => client.destroy() };
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
