// Before `serve` listens: the KMS keys and the watermark table it is given must work, with the
// credentials and settings the bundle will use (already in process.env). Otherwise it would listen and
// answer every signing request with a 503, and a supervisor would see a running signer. Only the two
// calls the signer needs anyway (iam.tf grants them): GetPublicKey of each key, GetItem on the table.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { publicKeyFromSpki } from '../lambda/src/keys.js';
import { awsFailure } from './aws-errors.js';
import { CommandFailure, EXIT } from './command.js';

/** An item key no watermark has (watermark keys are pkh#chain#kind): a read of it changes nothing. */
const PROBE_KEY = 'tezos-signer-serve-preflight';

export interface PreflightTarget {
  readonly kmsKeyIds: readonly string[];
  readonly tableName: string;
  readonly region: string;
}

async function checkKey(client: KMSClient, keyId: string): Promise<void> {
  let answer;
  try {
    answer = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  } catch (error) {
    throw awsFailure(`KMS key ${keyId}`, error);
  }
  if (answer.KeyUsage !== 'SIGN_VERIFY' || answer.PublicKey === undefined) {
    throw new CommandFailure(`KMS key ${keyId}: not a signing key (KeyUsage ${answer.KeyUsage ?? 'none'})`, EXIT.config);
  }
  try {
    publicKeyFromSpki(answer.PublicKey);
  } catch {
    throw new CommandFailure(`KMS key ${keyId}: key spec ${answer.KeySpec ?? 'unknown'} is not a Tezos curve (ECC_SECG_P256K1, ECC_NIST_P256 or ECC_NIST_EDWARDS25519)`, EXIT.config);
  }
}

/** Throws a CommandFailure (exit 4 for a key or table that does not work, 3 unreachable) or resolves. */
export async function preflight(target: PreflightTarget): Promise<void> {
  const kms = new KMSClient({ region: target.region, maxAttempts: 2 });
  const dynamo = new DynamoDBClient({ region: target.region, maxAttempts: 2 });
  try {
    for (const id of target.kmsKeyIds) await checkKey(kms, id);
    try {
      await dynamo.send(new GetItemCommand({ TableName: target.tableName, Key: { pk: { S: PROBE_KEY } }, ConsistentRead: true }));
    } catch (error) {
      // ValidationException here: the table's key is not the watermark table's `pk` string.
      throw awsFailure(`DynamoDB table ${target.tableName}`, error);
    }
  } finally {
    kms.destroy();
    dynamo.destroy();
  }
}
