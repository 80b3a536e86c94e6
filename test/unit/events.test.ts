// Crafted Lambda events through the real entry point (lambda/src/index.ts createHandler), with KMS and
// DynamoDB answered in-process: every field the handler reads, given the wrong type, is a 400 (never a
// 500); and oversized inputs (16 KB paths, queries and `authentication` values) are refused before
// anything is base58-decoded, which the mocked bs58check counts.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fromHex } from '../../lambda/src/bytes.js';
import type { LambdaHttpEvent } from '../../lambda/src/http.js';
import { AUTHORIZED_TZ2, CONSENSUS_TZ2, CRYPTO, authenticationFor, encodedPublicKey, spkiOf, vectorHex } from './helpers.js';

// The module's own `handler` is built at import from the environment: endpoints on a closed loopback
// port, so its key prefetch fails at once without leaving the machine.
const env = vi.hoisted(() => {
  const values = {
    SIGNER_KMS_KEY_IDS: 'key-tz2',
    SIGNER_TABLE_NAME: 'events-test',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
  };
  return values;
});

/** Every string handed to bs58check for decoding: its length, in order. */
const decoded = vi.hoisted(() => [] as number[]);

vi.mock('bs58check', async (importOriginal) => {
  const real = ((await importOriginal()) as { default: { encode: unknown; decode: (s: string) => Uint8Array; decodeUnsafe: (s: string) => Uint8Array | undefined } }).default;
  return {
    default: {
      ...real,
      decode: (text: string) => (decoded.push(text.length), real.decode(text)),
      decodeUnsafe: (text: string) => (decoded.push(text.length), real.decodeUnsafe(text)),
    },
  };
});

Object.assign(process.env, env, { SIGNER_AUTHORIZED_KEYS: encodedPublicKey(AUTHORIZED_TZ2) });
const { createHandler, loadConfig } = await import('../../lambda/src/index.js');

const PKH = CRYPTO.keys.consensus_tz2.pkh;
const C3 = vectorHex('signatory-integration/C3');

function answer(body: unknown) {
  return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: new TextEncoder().encode(JSON.stringify(body)) } };
}
const text = (body: string | Uint8Array) => (typeof body === 'string' ? body : new TextDecoder().decode(body));
type SdkRequest = { headers: Record<string, string>; body: string | Uint8Array };

function handlerWithFakes() {
  const items = new Map<string, unknown>();
  const kms = {
    async handle(request: SdkRequest) {
      const input = JSON.parse(text(request.body)) as { Message?: string };
      if (request.headers['x-amz-target'] === 'TrentService.GetPublicKey') {
        return answer({ PublicKey: Buffer.from(spkiOf(CONSENSUS_TZ2)).toString('base64'), KeySpec: 'ECC_SECG_P256K1' });
      }
      const der = secp256k1.sign(Buffer.from(input.Message!, 'base64'), CONSENSUS_TZ2.secret, { prehash: false, format: 'der' });
      return answer({ Signature: Buffer.from(der).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' });
    },
  };
  const dynamodb = {
    async handle(request: SdkRequest) {
      const input = JSON.parse(text(request.body)) as { Key?: { pk: { S: string } }; Item?: { pk: { S: string } } };
      if (request.headers['x-amz-target'] === 'DynamoDB_20120810.GetItem') {
        const item = items.get(input.Key!.pk.S);
        return answer(item ? { Item: item } : {});
      }
      items.set(input.Item!.pk.S, input.Item);
      return answer({});
    },
  };
  const handler = createHandler(loadConfig(process.env), { kms: { requestHandler: kms }, dynamodb: { requestHandler: dynamodb } });
  decoded.length = 0; // the configuration's public keys are decoded at start: not a request's cost
  return handler;
}

let lines: Record<string, unknown>[] = [];
beforeEach(() => {
  lines = [];
  decoded.length = 0;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const auth = () => authenticationFor(AUTHORIZED_TZ2, PKH, fromHex(C3));
const v2 = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  version: '2.0',
  rawPath: `/keys/${PKH}`,
  rawQueryString: `authentication=${auth()}`,
  headers: { 'content-type': 'application/json' },
  requestContext: { requestId: 'id', http: { method: 'POST' } },
  body: JSON.stringify(C3),
  isBase64Encoded: false,
  ...over,
});
const v1 = (over: Record<string, unknown> = {}): Record<string, unknown> => {
  const a = auth();
  return {
    version: '1.0',
    httpMethod: 'POST',
    path: `/keys/${PKH}`,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: { 'content-type': ['application/json'] },
    queryStringParameters: { authentication: a },
    multiValueQueryStringParameters: { authentication: [a] },
    requestContext: { requestId: 'id' },
    body: JSON.stringify(C3),
    isBase64Encoded: false,
    ...over,
  };
};

async function send(handler: ReturnType<typeof handlerWithFakes>, event: Record<string, unknown>) {
  const response = await handler(event as LambdaHttpEvent, { awsRequestId: 'r' });
  const body = JSON.parse(response.body) as unknown;
  const message = Array.isArray(body) ? String((body[0] as { msg: string }).msg) : '';
  return { status: response.statusCode, body, message };
}

describe('the controls: well-typed events of both formats are signed', () => {
  test.each([
    ['2.0', v2()],
    ['1.0', v1()],
  ])('%s', async (_name, event) => {
    const a = await send(handlerWithFakes(), event);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ signature: expect.stringMatching(/^spsig1/) });
  });
});

describe('a field of the wrong type is a 400 with the field named, never a 500', () => {
  const wrong: [string, Record<string, unknown>, RegExp][] = [
    ['2.0 rawPath a number', v2({ rawPath: 42 }), /rawPath must be a string/],
    ['2.0 rawPath an object', v2({ rawPath: { a: 1 } }), /rawPath must be a string/],
    ['2.0 rawPath an array', v2({ rawPath: ['/keys', PKH] }), /rawPath must be a string/],
    ['2.0 rawPath a boolean', v2({ rawPath: true }), /rawPath must be a string/],
    ['2.0 rawQueryString a number', v2({ rawQueryString: 7 }), /rawQueryString must be a string/],
    ['2.0 rawQueryString an object', v2({ rawQueryString: { authentication: 'x' } }), /rawQueryString must be a string/],
    ['2.0 version a number', v2({ version: 2 }), /version must be a string/],
    ['2.0 requestContext a string', v2({ requestContext: 'ctx' }), /requestContext must be an object/],
    ['2.0 requestContext an array', v2({ requestContext: [] }), /requestContext must be an object/],
    ['2.0 requestContext.http a number', v2({ requestContext: { http: 1 } }), /http must be an object/],
    ['2.0 requestContext.http.method a number', v2({ requestContext: { http: { method: 5 } } }), /method must be a string/],
    ['2.0 requestContext.requestId a number', v2({ requestContext: { requestId: 5, http: { method: 'POST' } } }), /requestId must be a string/],
    ['2.0 body a number', v2({ body: 1234 }), /body must be a string/],
    ['2.0 body an object', v2({ body: { hex: C3 } }), /body must be a string/],
    ['2.0 body an array', v2({ body: [C3] }), /body must be a string/],
    ['2.0 isBase64Encoded a string', v2({ isBase64Encoded: 'true' }), /isBase64Encoded must be a boolean/],
    ['2.0 isBase64Encoded a number', v2({ isBase64Encoded: 1 }), /isBase64Encoded must be a boolean/],
    ['2.0 headers a string', v2({ headers: 'content-type: x' }), /headers must be an object/],
    ['2.0 a header value a number', v2({ headers: { 'content-length': 12 } }), /headers must map names to strings/],
    ['1.0 path a number', v1({ path: 42 }), /path must be a string/],
    ['1.0 path an object', v1({ path: {} }), /path must be a string/],
    ['1.0 httpMethod a number', v1({ httpMethod: 1 }), /httpMethod must be a string/],
    ['1.0 queryStringParameters a string', v1({ multiValueQueryStringParameters: null, queryStringParameters: 'authentication=x' }), /queryStringParameters must be an object/],
    ['1.0 a query value a number', v1({ multiValueQueryStringParameters: null, queryStringParameters: { authentication: 5 } }), /must map names to strings/],
    ['1.0 a query value an array', v1({ multiValueQueryStringParameters: null, queryStringParameters: { authentication: ['a'] } }), /must map names to strings/],
    ['1.0 multiValueQueryStringParameters an array', v1({ multiValueQueryStringParameters: [['authentication', 'x']] }), /multiValueQueryStringParameters must be an object/],
    ['1.0 a multi-value query entry a string', v1({ multiValueQueryStringParameters: { authentication: 'x' } }), /must map names to arrays of strings/],
    ['1.0 a multi-value query item a number', v1({ multiValueQueryStringParameters: { authentication: [1] } }), /must map names to arrays of strings/],
    ['1.0 multiValueHeaders entry a string', v1({ multiValueHeaders: { accept: '*/*' } }), /must map names to arrays of strings/],
    ['1.0 body a number', v1({ body: 99 }), /body must be a string/],
    ['1.0 isBase64Encoded a string', v1({ isBase64Encoded: 'false' }), /isBase64Encoded must be a boolean/],
    ['the event an array', [] as unknown as Record<string, unknown>, /not an HTTP event/],
    ['the event a number', 5 as unknown as Record<string, unknown>, /not an HTTP event/],
  ];

  test.each(wrong)('%s', async (_name, event, message) => {
    const a = await send(handlerWithFakes(), event);
    expect(a.status).toBe(400);
    expect(a.message).toMatch(message);
    // One log line, a refusal with the documented reason; a malformed request is no metric (docs/interfaces.md).
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 400, outcome: 'refused', reason: 'malformed' });
    expect(lines[0]).not.toHaveProperty('_aws');
  });

  test('null and absent optional fields are not type errors', async () => {
    const h = handlerWithFakes();
    expect((await send(h, v2({ headers: null, isBase64Encoded: undefined, version: '2.0' }))).status).toBe(200);
    const a = await send(h, v1({ headers: null, multiValueHeaders: null, isBase64Encoded: null, multiValueQueryStringParameters: null, queryStringParameters: null }));
    expect(a.status).toBe(401); // no authentication left: read, then refused for what it is
  });
});

describe('oversized inputs are refused before any base58 decoding', () => {
  const BIG = 16 * 1024;
  const big58 = (n: number) => '3'.repeat(n); // base58 characters: a decoder would take them
  const biggestDecoded = () => Math.max(0, ...decoded);

  test.each([
    ['2.0, a 16 KB path', v2({ rawPath: `/keys/${big58(BIG)}` }), /rawPath of 16390 characters; the limit is 1024/],
    ['2.0, a 16 KB path under a valid pkh prefix', v2({ rawPath: `/${'a'.repeat(BIG)}/keys/${PKH}` }), /rawPath of \d+ characters; the limit is 1024/],
    ['2.0, a 16 KB authentication', v2({ rawQueryString: `authentication=${big58(BIG)}` }), /rawQueryString of 16399 characters; the limit is 1024/],
    ['2.0, authentication repeated up to 16 KB', v2({ rawQueryString: Array.from({ length: 160 }, () => `authentication=${auth()}`).join('&') }), /rawQueryString of \d+ characters; the limit is 1024/],
    ['1.0, a 16 KB path', v1({ path: `/keys/${big58(BIG)}` }), /path of 16390 characters; the limit is 1024/],
    ['1.0, a 16 KB authentication (single-value)', v1({ multiValueQueryStringParameters: null, queryStringParameters: { authentication: big58(BIG) } }), /queryStringParameters of more than 1024 characters/],
    ['1.0, a 16 KB authentication (multi-value)', v1({ multiValueQueryStringParameters: { authentication: [big58(BIG)] } }), /multiValueQueryStringParameters of more than 1024 characters/],
    ['1.0, authentication repeated 1000 times', v1({ multiValueQueryStringParameters: { authentication: Array.from({ length: 1000 }, () => 'x') } }), /more than 16 values/],
    ['1.0, 1000 query parameters', v1({ multiValueQueryStringParameters: null, queryStringParameters: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`p${i}`, 'x'])) }), /more than 16 entries/],
  ])('%s: 400, and nothing decoded', async (_name, event, message) => {
    const a = await send(handlerWithFakes(), event);
    expect(a.status).toBe(400);
    expect(a.message).toMatch(message);
    expect(decoded).toEqual([]);
  });

  test('within the path and query bounds, a long pkh or authentication is still refused undecoded', async () => {
    const h = handlerWithFakes();
    const pkh = await send(h, v2({ rawPath: `/keys/tz2${big58(900)}` }));
    expect(pkh.status).toBe(400);
    expect(pkh.message).toMatch(/not a tz1, tz2 or tz3 address/);
    expect(biggestDecoded()).toBeLessThanOrEqual(37); // the longest base58check pkh

    decoded.length = 0;
    const long = await send(h, v1({ multiValueQueryStringParameters: { authentication: [`spsig1${big58(900)}`] } }));
    expect(long.status).toBe(400);
    expect(long.message).toMatch(/authentication of 906 characters is not a signature: the longest is 100/);
    expect(biggestDecoded()).toBeLessThanOrEqual(37); // the pkh only: the authentication was not decoded

    decoded.length = 0;
    const bodyBig = await send(h, v2({ body: Buffer.from(JSON.stringify('11'.repeat(BIG))).toString('base64'), isBase64Encoded: true }));
    expect(bodyBig.status).toBe(413);
  });

  test('a valid request decodes only short strings (the control for the counting)', async () => {
    const a = await send(handlerWithFakes(), v2());
    expect(a.status).toBe(200);
    expect(decoded.length).toBeGreaterThan(0);
    expect(biggestDecoded()).toBeLessThanOrEqual(100);
  });
});
