// The embedded stack behind `npm start`: dynalite for DynamoDB and the local KMS endpoint, both kept
// under one data folder, with the consensus key and the authorized key created on first start.
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { startLocalKms, type LocalKms } from '../local/kms-server.js';
import { ensureWatermarkTable, startLocalDynamo } from '../local/dynamodb.js';
import { generateSecretKey } from '../local/secret-keys.js';
import { randomCredentials, type Credentials } from '../local/sigv4.js';
import { lockDataDir } from './data-lock.js';

export const LOCAL_TABLE = 'tezos-signer-watermarks';
export const LOCAL_REGION = 'us-east-1';

/** What the first start creates and every later start reuses. */
export interface LocalState {
  readonly kmsKeyIds: string[];
  /** The baker's authorized key, unencrypted: it exists to be imported into octez-client. */
  readonly authorizedSecretKey: string;
}

export interface LocalStack {
  readonly kmsUrl: string;
  readonly dynamoUrl: string;
  readonly state: LocalState;
  readonly kms: LocalKms;
  /** Made at each start and known only to this process: both services refuse any other signer. */
  readonly credentials: Credentials;
  readonly created: boolean;
  close(): Promise<void>;
}

async function readState(file: string): Promise<LocalState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as Partial<LocalState>;
  if (!Array.isArray(state.kmsKeyIds) || typeof state.authorizedSecretKey !== 'string') {
    throw new Error(`${file} is damaged: expected kmsKeyIds and authorizedSecretKey`);
  }
  return state as LocalState;
}

async function writeState(file: string, state: LocalState): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await rename(temp, file);
}

export async function startLocalStack(dataDir: string): Promise<LocalStack> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(dataDir, 'tezos-signer serve');
  const credentials = randomCredentials();
  let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
  let kms: LocalKms;
  try {
    dynamo = await startLocalDynamo({ dir: join(dataDir, 'dynamodb'), port: 0, credentials });
    kms = await startLocalKms({ dir: join(dataDir, 'kms'), port: 0, region: LOCAL_REGION, credentials }).catch(async (error: unknown) => {
      await dynamo.close();
      throw error;
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
  const close = async () => {
    await Promise.allSettled([kms.close(), dynamo.close()]);
    await lock.release();
  };
  try {
    const clientConfig = { region: LOCAL_REGION, credentials };
    await ensureWatermarkTable(new DynamoDBClient({ ...clientConfig, endpoint: dynamo.url }), LOCAL_TABLE);
    const stateFile = join(dataDir, 'signer.json');
    let state = await readState(stateFile);
    const created = state === undefined;
    if (state === undefined) {
      const { KeyMetadata } = await new KMSClient({ ...clientConfig, endpoint: kms.url }).send(
        new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_SECG_P256K1', Description: 'tezos-signer local consensus key' }),
      );
      if (!KeyMetadata?.KeyId) throw new Error('local KMS did not return a key id');
      state = { kmsKeyIds: [KeyMetadata.KeyId], authorizedSecretKey: generateSecretKey('secp256k1').encoded };
      await writeState(stateFile, state);
    }
    return { kmsUrl: kms.url, dynamoUrl: dynamo.url, state, kms, credentials, created, close };
  } catch (error) {
    await close();
    throw error;
  }
}
