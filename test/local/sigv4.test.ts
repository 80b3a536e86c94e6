// The local stack's endpoints accept only requests signed (AWS SigV4) with the credentials of their
// start, addressed to their own loopback host: the local KMS and the front of dynalite refuse wrong
// credentials, a missing signature, a tampered body and a foreign Host header (DNS rebinding), with the
// AWS error shapes; the real SDK clients with the right credentials work (test/local/*.test.ts).
// Signed requests are made by the real SDK and captured after signing, so that the verifier is tested
// against the SDK's signer, not against local/sigv4.ts's own.
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureWatermarkTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamodb.js';
import { startLocalKms, type LocalKms } from '../../local/kms-server.js';
import { randomCredentials, signRequest, verifyRequest, type Credentials } from '../../local/sigv4.js';

const REGION = 'us-east-1';
const TABLE = 'sigv4-test';
const TRANSFER = Uint8Array.from(Buffer.from('03' + 'ab'.repeat(32) + '6c00' + 'cd'.repeat(40), 'hex'));

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface Answer {
  status: number;
  type: string;
  text: string;
}

/** Sends raw bytes to the endpoint (the test decides every header, the Host header included). */
function send(url: string, captured: Captured, change: { headers?: Record<string, string | undefined>; body?: string } = {}): Promise<Answer> {
  const target = new URL(url);
  const headers: Record<string, string> = { ...captured.headers };
  for (const [name, value] of Object.entries(change.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const body = change.body ?? captured.body;
  headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, method: captured.method, path: captured.path, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let type = '';
        try {
          type = String((JSON.parse(text) as { __type?: string }).__type ?? '');
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, type: type.slice(type.indexOf('#') + 1), text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `call` through a real SDK client and returns the request as signed and sent. */
async function captureSigned<C extends KMSClient | DynamoDBClient>(client: C, call: (client: C) => Promise<unknown>): Promise<Captured> {
  let captured: Captured | undefined;
  type Next = (args: { request: unknown }) => Promise<unknown>;
  // The deserialize step runs after signing: the request as it goes on the wire.
  const stack = client.middlewareStack as unknown as { add(m: (next: Next) => Next, o: { step: 'deserialize'; name: string }): void };
  stack.add(
    (next) => async (args) => {
      const r = args.request as { method: string; path: string; headers: Record<string, string>; body?: unknown };
      const body = typeof r.body === 'string' ? r.body : r.body instanceof Uint8Array ? Buffer.from(r.body).toString('utf8') : '';
      captured = { method: r.method, path: r.path, headers: { ...r.headers }, body };
      return next(args);
    },
    { step: 'deserialize', name: 'captureSigned' },
  );
  await call(client);
  client.middlewareStack.remove('captureSigned');
  if (!captured) throw new Error('nothing captured');
  return captured;
}

const WRONG_ID: Credentials = { accessKeyId: 'AKIAWRONGWRONGWRONG0', secretAccessKey: 'x' };

describe.each(['kms', 'dynamodb'] as const)('%s endpoint: SigV4 and the Host header', (service) => {
  let dir: string;
  let credentials: Credentials;
  let kms: LocalKms | undefined;
  let dynamo: LocalDynamo | undefined;
  let url: string;
  let keyId = '';
  const kmsClient = (c: Credentials) => new KMSClient({ region: REGION, endpoint: url, credentials: c, maxAttempts: 1 });
  const dynamoClient = (c: Credentials) => new DynamoDBClient({ region: REGION, endpoint: url, credentials: c, maxAttempts: 1 });

  /** The sensitive call of each service: a Sign over a transfer, a write of a watermark item. */
  const sensitive = (c: Credentials) =>
    service === 'kms'
      ? kmsClient(c).send(new SignCommand({ KeyId: keyId, Message: TRANSFER, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }))
      : dynamoClient(c).send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'wm' }, level: { N: '5' } } }));
  const capture = () =>
    service === 'kms'
      ? captureSigned(kmsClient(credentials), (k) => k.send(new SignCommand({ KeyId: keyId, Message: TRANSFER, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' })))
      : captureSigned(dynamoClient(credentials), (d) => d.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'wm' } }, ConsistentRead: true })));
  const storedLevel = async () => (await dynamoClient(credentials).send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'wm' } }, ConsistentRead: true }))).Item?.['level']?.N;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sigv4-'));
    credentials = randomCredentials();
    if (service === 'kms') {
      kms = await startLocalKms({ dir, port: 0, region: REGION, credentials });
      url = kms.url;
      const { KeyMetadata } = await kmsClient(credentials).send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_SECG_P256K1' }));
      keyId = KeyMetadata!.KeyId!;
    } else {
      dynamo = await startLocalDynamo({ credentials });
      url = dynamo.url;
      await ensureWatermarkTable(dynamoClient(credentials), TABLE);
      await dynamoClient(credentials).send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'wm' }, level: { N: '7' } } }));
    }
  });

  afterAll(async () => {
    await kms?.close();
    await dynamo?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('the control: the SDK client with the right credentials gets an answer', async () => {
    if (service === 'kms') expect((await sensitive(credentials)) as { Signature?: Uint8Array }).toHaveProperty('Signature');
    else expect(await storedLevel()).toBe('7');
  });

  test('an unknown access key id: UnrecognizedClientException, nothing done', async () => {
    await expect(sensitive(WRONG_ID)).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 400 } });
    await expect(sensitive(randomCredentials())).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    if (service === 'dynamodb') expect(await storedLevel()).toBe('7');
    if (kms) expect(kms.stats.sign).toBe(1); // the control's only
  });

  test('the right access key id with a wrong secret: InvalidSignatureException, nothing done', async () => {
    const wrongSecret = { accessKeyId: credentials.accessKeyId, secretAccessKey: randomCredentials().secretAccessKey };
    await expect(sensitive(wrongSecret)).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    if (service === 'dynamodb') {
      await expect(dynamoClient(wrongSecret).send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: 'wm' } } }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
      expect(await storedLevel()).toBe('7');
    }
    if (kms) expect(kms.stats.sign).toBe(1);
  });

  test('no signature: MissingAuthenticationTokenException', async () => {
    const signed = await capture();
    const answer = await send(url, signed, { headers: { authorization: undefined } });
    expect(answer).toMatchObject({ status: 400, type: 'MissingAuthenticationTokenException' });
  });

  test('a replay of the signed request is answered (the control of the raw sender); a tampered body is refused', async () => {
    const signed = await capture();
    expect((await send(url, signed)).status).toBe(200);
    const tampered = signed.body.replace(service === 'kms' ? /"MessageType":"RAW"/ : /"wm"/, service === 'kms' ? '"MessageType":"RAW" ' : '"wn"');
    expect(tampered).not.toBe(signed.body);
    const answer = await send(url, signed, { body: tampered });
    expect(answer).toMatchObject({ status: 400, type: 'InvalidSignatureException' });
  });

  test('a tampered signed header (the operation) is refused', async () => {
    const signed = await capture();
    const other = service === 'kms' ? 'TrentService.ListKeys' : 'DynamoDB_20120810.DeleteItem';
    const answer = await send(url, signed, { headers: { 'x-amz-target': other } });
    expect(answer).toMatchObject({ status: 400, type: 'InvalidSignatureException' });
  });

  test.each(['evil.example', 'evil.example:PORT', 'localhost:PORT', '127.0.0.2:PORT', '[::1]:PORT', ''])('a foreign Host header (%s) is refused (DNS rebinding)', async (host) => {
    const signed = await capture();
    const answer = await send(url, signed, { headers: { host: host.replace('PORT', new URL(url).port) } });
    expect(answer).toMatchObject({ status: 403, type: 'AccessDeniedException' });
    expect(answer.text).toMatch(/is not this endpoint/);
  });

  test('a request signed five minutes ago or more is refused', async () => {
    const signed = await capture();
    const old = new Date(Date.now() - 6 * 60 * 1000);
    const headers = signRequest({ method: signed.method, url: signed.path, headers: signed.headers, body: Buffer.from(signed.body) }, credentials, { region: REGION, service }, old.getTime());
    const answer = await send(url, signed, { headers: headers as Record<string, string> });
    expect(answer).toMatchObject({ status: 400, type: 'InvalidSignatureException' });
    expect(answer.text).toMatch(/expired/);
  });

  test("local/sigv4.ts accepts the SDK's signature and its own (the fault proxy re-signs with it)", async () => {
    const signed = await capture();
    const parts = { method: signed.method, url: signed.path, headers: signed.headers, body: Buffer.from(signed.body) };
    expect(verifyRequest(parts, credentials, service)).toBeUndefined();
    expect(verifyRequest({ ...parts, headers: signRequest(parts, credentials, { region: REGION, service }) }, credentials, service)).toBeUndefined();
    expect(verifyRequest({ ...parts, body: Buffer.from(signed.body + ' ') }, credentials, service)).toMatchObject({ type: 'InvalidSignatureException' });
    expect((await send(url, signed, { headers: signRequest(parts, credentials, { region: REGION, service }) as Record<string, string> })).status).toBe(200);
  });
});
