// The local stack's endpoints accept only requests signed (AWS SigV4) with the credentials of their
// start, addressed to their own loopback host, each signature once: the local KMS and the front of
// dynalite refuse wrong credentials, a missing signature, a tampered body, a foreign Host header (DNS
// rebinding) and an exact replay, with the AWS error shapes; everything the headers decide is decided
// before the body is read, and the body read is bounded; the real SDK clients with the right
// credentials work (test/local/*.test.ts).
// Signed requests are made by the real SDK and captured after signing, so that the verifier is tested
// against the SDK's signer, not against local/sigv4.ts's own.
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DYNAMODB_MAX_REQUEST_BYTES, ensureWatermarkTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamodb.js';
import { KMS_MAX_REQUEST_BYTES, startLocalKms, type LocalKms } from '../../local/kms-server.js';
import { SeenSignatures } from '../../local/seen-signatures.js';
import { randomCredentials, signRequest, verifyRequest, type Credentials } from '../../local/sigv4.js';
import { DynamoWatermarkStore } from '../../lambda/src/watermark-store.js';

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
function send(url: string, captured: Captured, change: { headers?: Record<string, string | undefined>; body?: string; chunked?: boolean } = {}): Promise<Answer> {
  const target = new URL(url);
  const headers: Record<string, string> = { ...captured.headers };
  for (const [name, value] of Object.entries(change.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const body = change.body ?? captured.body;
  if (change.chunked) delete headers['content-length'];
  else headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req: ClientRequest = httpRequest({ host: target.hostname, port: target.port, method: captured.method, path: captured.path, headers, setHost: false }, (res) => {
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
    // A refusal may close the connection before the whole body is written: the answer is what counts.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end(body);
  });
}

/** Sends only the headers (declaring `declaredLength` body bytes) and waits for an answer without sending the body. */
function sendHeadersOnly(url: string, headers: Record<string, string>, method: string, path: string, declaredLength: number): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, method, path, headers: { ...headers, 'content-length': String(declaredLength) }, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
        req.destroy();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.setTimeout(5000, () => reject(new Error('no answer before the body: the server waited for it')));
    req.flushHeaders();
  });
}

const UNSENT = new Error('captured, not sent');

/**
 * Runs `call` through a real SDK client and returns the request as signed; sent too unless `sent` is
 * false (then the endpoint has never seen its signature).
 */
async function captureSigned<C extends KMSClient | DynamoDBClient>(client: C, call: (client: C) => Promise<unknown>, sent = true): Promise<Captured> {
  let captured: Captured | undefined;
  type Next = (args: { request: unknown }) => Promise<unknown>;
  // The deserialize step runs after signing: the request as it goes on the wire.
  const stack = client.middlewareStack as unknown as { add(m: (next: Next) => Next, o: { step: 'deserialize'; name: string }): void };
  stack.add(
    (next) => async (args) => {
      const r = args.request as { method: string; path: string; headers: Record<string, string>; body?: unknown };
      const body = typeof r.body === 'string' ? r.body : r.body instanceof Uint8Array ? Buffer.from(r.body).toString('utf8') : '';
      captured = { method: r.method, path: r.path, headers: { ...r.headers }, body };
      if (!sent) throw UNSENT;
      return next(args);
    },
    { step: 'deserialize', name: 'captureSigned' },
  );
  await call(client).catch((error: unknown) => {
    // Unsent: the caller may wrap the stop in an error of its own (the watermark store does).
    if (sent || captured === undefined) throw error;
  });
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
  const capture = (sent = true) =>
    service === 'kms'
      ? captureSigned(kmsClient(credentials), (k) => k.send(new SignCommand({ KeyId: keyId, Message: TRANSFER, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' })), sent)
      : captureSigned(dynamoClient(credentials), (d) => d.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'wm' } }, ConsistentRead: true })), sent);
  const bound = service === 'kms' ? KMS_MAX_REQUEST_BYTES : DYNAMODB_MAX_REQUEST_BYTES;
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

  test('a signed request is answered once; its exact replay is refused, also while racing', async () => {
    const signed = await capture(false);
    expect((await send(url, signed)).status).toBe(200);
    expect(await send(url, signed)).toMatchObject({ status: 400, type: 'InvalidSignatureException', text: expect.stringMatching(/already used/) });
    const racing = await capture(false);
    const answers = await Promise.all(Array.from({ length: 8 }, () => send(url, racing)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
  });

  test(service === 'kms' ? 'a replayed Sign gives no fresh signature' : 'a replayed DeleteItem does not delete the newer item', async () => {
    if (service === 'kms') {
      const signed = await capture(); // the SDK's own call: one Sign
      const before = kms!.stats.sign;
      expect(await send(url, signed)).toMatchObject({ status: 400, type: 'InvalidSignatureException' });
      expect(kms!.stats.sign).toBe(before);
      return;
    }
    const deletion = await captureSigned(dynamoClient(credentials), (d) => d.send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: 'wm' } } })));
    expect(await storedLevel()).toBeUndefined();
    await dynamoClient(credentials).send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'wm' }, level: { N: '8' } } }));
    expect(await send(url, deletion)).toMatchObject({ status: 400, type: 'InvalidSignatureException' });
    expect(await storedLevel()).toBe('8');
    await dynamoClient(credentials).send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'wm' }, level: { N: '7' } } }));
  });

  test('a tampered body is refused', async () => {
    const signed = await capture(false);
    // Same length (content-length is signed too): only the body hash can tell.
    const tampered = service === 'kms' ? signed.body.replace(/"Message":"(.)/, (_, c: string) => `"Message":"${c === 'A' ? 'B' : 'A'}`) : signed.body.replace(/"wm"/, '"wn"');
    expect(tampered).not.toBe(signed.body);
    expect(tampered.length).toBe(signed.body.length);
    const answer = await send(url, signed, { body: tampered });
    expect(answer).toMatchObject({ status: 400, type: 'InvalidSignatureException', text: expect.stringMatching(/x-amz-content-sha256/) });
  });

  test('a body hash left out of the signature is refused', async () => {
    const signed = await capture(false);
    expect(await send(url, signed, { headers: { 'x-amz-content-sha256': undefined } })).toMatchObject({ status: 400, type: 'IncompleteSignatureException' });
  });

  test('a wrong signature, a replay and a foreign Host are answered before the body is sent', async () => {
    const signed = await capture();
    const { method, path, headers } = signed;
    const wrong = { ...headers, authorization: headers['authorization']!.replace(/Signature=[0-9a-f]{64}/, `Signature=${'0'.repeat(64)}`) };
    for (const h of [wrong, headers, { ...headers, host: 'evil.example' }]) {
      const answer = await sendHeadersOnly(url, h, method, path, 1000);
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
  });

  test(`a correctly signed body over the bound is refused with 413, declared or chunked`, async () => {
    const signed = await capture(false);
    const big = signed.body.replace(/}$/, `,"Pad":"${'x'.repeat(bound)}"}`);
    const parts = { method: signed.method, url: signed.path, headers: signed.headers, body: Buffer.from(big) };
    const declared = await sendHeadersOnly(url, signRequest(parts, credentials, { region: REGION, service }) as Record<string, string>, signed.method, signed.path, big.length);
    expect(declared.status).toBe(413);
    const chunked = await send(url, signed, { headers: signRequest(parts, credentials, { region: REGION, service }, Date.now() - 1000) as Record<string, string>, body: big, chunked: true });
    expect(chunked).toMatchObject({ status: 413, text: expect.stringMatching(new RegExp(`over ${bound} bytes`)) });
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

describe('the body bounds fit the largest legitimate request', () => {
  const credentials = randomCredentials();
  const arn = `arn:aws:kms:us-east-1:000000000000:key/${'a'.repeat(2048 - 'arn:aws:kms:us-east-1:000000000000:key/'.length)}`;

  test(`KMS (${KMS_MAX_REQUEST_BYTES} bytes): a Sign at KMS's limits (a 4,096-byte RAW message, a 2,048-character key id), and the signer's own Sign`, async () => {
    const client = new KMSClient({ region: REGION, endpoint: 'http://127.0.0.1:9', credentials, maxAttempts: 1 });
    const largest = await captureSigned(client, (k) => k.send(new SignCommand({ KeyId: arn, Message: new Uint8Array(4096), MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' })), false);
    const signer = await captureSigned(client, (k) => k.send(new SignCommand({ KeyId: arn.slice(0, 75), Message: new Uint8Array(32), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' })), false);
    expect(Buffer.byteLength(largest.body)).toBe(7592); // the figure in local/kms-server.ts and docs/security.md
    expect(Buffer.byteLength(largest.body)).toBeLessThanOrEqual(KMS_MAX_REQUEST_BYTES);
    expect(Buffer.byteLength(signer.body)).toBeLessThan(256);
  });

  test(`DynamoDB (${DYNAMODB_MAX_REQUEST_BYTES} bytes): the signer's watermark PutItem`, async () => {
    const client = new DynamoDBClient({ region: REGION, endpoint: 'http://127.0.0.1:9', credentials, maxAttempts: 1 });
    const put = await captureSigned(
      client,
      (d) =>
        new DynamoWatermarkStore(d, 'tezos-signer-watermarks').advance(
          `tz2${'x'.repeat(33)}#NetXdQprcVkpaWU#preattestation`,
          { level: 2 ** 31 - 1, round: 2 ** 31 - 1, digest: 'f'.repeat(64), signature: `spsig1${'x'.repeat(93)}` },
          { pkh: `tz2${'x'.repeat(33)}`, chainId: 'NetXdQprcVkpaWU', kind: 'preattestation' },
        ),
      false,
    );
    expect(Buffer.byteLength(put.body)).toBeLessThan(1024);
    expect(DYNAMODB_MAX_REQUEST_BYTES).toBeGreaterThanOrEqual(8 * Buffer.byteLength(put.body));
  });
});

describe('SeenSignatures', () => {
  test('a signature is new once, a replay until its window closes, then forgotten', () => {
    const seen = new SeenSignatures();
    expect(seen.remember('a', 1000, 0)).toBe('new');
    expect(seen.remember('a', 1000, 999)).toBe('replay');
    expect(seen.remember('a', 1000, 1000)).toBe('replay');
    expect(seen.remember('b', 5000, 2001)).toBe('new'); // sweeps: 'a' is gone
    expect(seen.size).toBe(1);
  });

  test('when full it refuses instead of forgetting a live signature', () => {
    const seen = new SeenSignatures(2);
    expect(seen.remember('a', 10_000, 0)).toBe('new');
    expect(seen.remember('b', 10_000, 0)).toBe('new');
    expect(seen.remember('c', 10_000, 1)).toBe('full');
    expect(seen.remember('a', 10_000, 2)).toBe('replay');
    expect(seen.remember('c', 20_000, 10_001)).toBe('new'); // 'a' and 'b' expired
  });
});
