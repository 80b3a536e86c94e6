// The embedded stack of `npm start` (cli/local-stack.ts): each start makes its own credentials, and the
// attacks of issue 9 from another local process fail: a KMS Sign over a transfer with the consensus
// key, and the deletion of a watermark item, both with credentials other than the start's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LOCAL_REGION, LOCAL_TABLE, startLocalStack, type LocalStack } from '../../cli/local-stack.js';
import { randomCredentials, type Credentials } from '../../local/sigv4.js';

const TRANSFER = Uint8Array.from(Buffer.from('03' + 'ab'.repeat(32) + '6c00' + 'cd'.repeat(40), 'hex'));

describe('the embedded stack: credentials per start', () => {
  let dir: string;
  let stack: LocalStack;
  const kms = (credentials: Credentials) => new KMSClient({ region: LOCAL_REGION, endpoint: stack.kmsUrl, credentials, maxAttempts: 1 });
  const dynamo = (credentials: Credentials) => new DynamoDBClient({ region: LOCAL_REGION, endpoint: stack.dynamoUrl, credentials, maxAttempts: 1 });
  const signTransfer = (credentials: Credentials) =>
    kms(credentials).send(new SignCommand({ KeyId: stack.state.kmsKeyIds[0]!, Message: TRANSFER, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stack-credentials-'));
    stack = await startLocalStack(dir);
  });

  afterAll(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("another process's Sign over a transfer with the consensus key is refused", async () => {
    for (const credentials of [{ accessKeyId: 'local', secretAccessKey: 'local' }, randomCredentials()]) {
      await expect(signTransfer(credentials)).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    }
    await expect(signTransfer({ accessKeyId: stack.credentials.accessKeyId, secretAccessKey: 'guess' })).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    expect(stack.kms.stats.sign).toBe(0);
  });

  test("another process's deletion of a watermark item is refused", async () => {
    await expect(dynamo(randomCredentials()).send(new DeleteItemCommand({ TableName: LOCAL_TABLE, Key: { pk: { S: 'any' } } }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });

  test("the start's own credentials work, and a restart makes new ones", async () => {
    const before = stack.credentials;
    const { TableNames } = await dynamo(before).send(new ListTablesCommand({}));
    expect(TableNames).toContain(LOCAL_TABLE);
    await stack.close();
    stack = await startLocalStack(dir);
    expect(stack.credentials.accessKeyId).not.toBe(before.accessKeyId);
    expect(stack.credentials.secretAccessKey).not.toBe(before.secretAccessKey);
    await expect(dynamo(before).send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    expect((await dynamo(stack.credentials).send(new ListTablesCommand({}))).TableNames).toContain(LOCAL_TABLE);
  });
});
