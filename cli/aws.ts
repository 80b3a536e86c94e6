// AWS clients for the operator commands: real AWS (standard credentials and region; endpoints from
// AWS_ENDPOINT_URL_* when set), or the embedded stack of a `serve` data folder. A data folder is only
// ever read here: a mistyped path is refused, never created.
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { startLocalKms } from '../local/kms-server.js';
import { startLocalDynamo, type LocalDynamo } from '../local/dynamodb.js';
import { randomCredentials, type Credentials } from '../local/sigv4.js';
import { LOCAL_REGION, LOCAL_TABLE } from './local-stack.js';
import { lockDataDir } from './data-lock.js';
import { awsFailure } from './aws-errors.js';
import { CommandFailure, EXIT, UsageError } from './command.js';

export interface Target<C> {
  readonly client: C;
  readonly where: string;
  close(): Promise<void>;
}

/** The part of a `serve` data folder a command needs; a UsageError when it is not there. */
async function existingPart(dataDir: string, part: 'kms' | 'dynamodb'): Promise<string> {
  const dir = join(dataDir, part);
  const found = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!found) throw new UsageError(`--data-dir ${dataDir}: no embedded stack there (no ${part}/ folder); check the path (\`serve --data-dir DIR\` creates one on its first start)`);
  return dir;
}

async function regionOf(client: { config: { region: () => Promise<string> } }, service: string): Promise<string> {
  try {
    return await client.config.region();
  } catch (error) {
    throw awsFailure(service, error);
  }
}

export async function kmsTarget(options: { dataDir?: string; region?: string }): Promise<Target<KMSClient>> {
  if (options.dataDir) {
    // The local KMS keeps keys as files: reading them while `serve` runs is safe, so no lock. Its own
    // endpoint on the folder's key files, with credentials only this command holds.
    const credentials = randomCredentials();
    const kms = await startLocalKms({ dir: await existingPart(options.dataDir, 'kms'), port: 0, region: LOCAL_REGION, credentials });
    const client = new KMSClient({ region: LOCAL_REGION, credentials, endpoint: kms.url });
    return { client, where: `local KMS under ${options.dataDir}`, close: async () => (client.destroy(), kms.close()) };
  }
  const client = new KMSClient(options.region ? { region: options.region } : {});
  const region = await regionOf(client, 'KMS').catch((error: unknown) => {
    client.destroy();
    throw error;
  });
  return { client, where: `KMS in ${region}`, close: async () => client.destroy() };
}

/**
 * dynalite is a dev dependency: a checkout has it, an installed package does not. The failure to report
 * when it is missing, or undefined for any other error.
 */
export function dynaliteMissing(error: unknown, what: string): CommandFailure | undefined {
  if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !/dynalite/.test((error as Error).message)) return undefined;
  return new CommandFailure(`${what} needs dynalite (the embedded DynamoDB), a development dependency: run it from a checkout of the repository after npm ci`, EXIT.usage);
}

/** Throws the dynaliteMissing failure when dynalite cannot be loaded: asked before anything is created. */
export function assertDynalite(what: string): void {
  try {
    createRequire(import.meta.url).resolve('dynalite');
  } catch (error) {
    throw dynaliteMissing(error, what) ?? error;
  }
}

async function openLocalDynamo(dir: string, credentials: Credentials): Promise<LocalDynamo> {
  try {
    return await startLocalDynamo({ dir, port: 0, credentials });
  } catch (error) {
    throw dynaliteMissing(error, '--data-dir') ?? error;
  }
}

export async function dynamoTarget(options: { dataDir?: string; region?: string; table?: string }): Promise<Target<DynamoDBClient> & { table: string }> {
  if (options.dataDir) {
    const dir = await existingPart(options.dataDir, 'dynamodb');
    const credentials = randomCredentials();
    // Before dynalite: a second opener of its database fails inside dynalite, past any catch.
    const lock = await lockDataDir(options.dataDir, 'tezos-signer watermarks');
    let dynamo: LocalDynamo;
    try {
      dynamo = await openLocalDynamo(dir, credentials);
    } catch (error) {
      await lock.release();
      throw error;
    }
    const client = new DynamoDBClient({ region: LOCAL_REGION, credentials, endpoint: dynamo.url });
    return {
      client,
      table: options.table ?? LOCAL_TABLE,
      where: `embedded DynamoDB under ${options.dataDir}`,
      close: async () => {
        client.destroy();
        await dynamo.close();
        await lock.release();
      },
    };
  }
  if (!options.table) throw new UsageError('--table is required with real AWS (the watermark table name: terraform output table_name), or --data-dir DIR for the embedded stack');
  const client = new DynamoDBClient(options.region ? { region: options.region } : {});
  await regionOf(client, 'DynamoDB').catch((error: unknown) => {
    client.destroy();
    throw error;
  });
  return { client, table: options.table, where: `DynamoDB table ${options.table}`, close: async () => client.destroy() };
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
