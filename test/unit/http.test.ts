// Lambda events in and out (lambda/src/http.ts): payload 2.0 (Function URL, HTTP API) and 1.0 (REST
// API), base64 bodies, query parameters, stage prefixes and trailing slashes, through to a signature.
import { describe, expect, test } from 'vitest';
import { fromHex } from '../../lambda/src/bytes.js';
import { MalformedRequest } from '../../lambda/src/errors.js';
import { LIMITS, MAX_BODY_BYTES, errorResponse, jsonResponse, requestFromEvent, route, type LambdaHttpEvent } from '../../lambda/src/http.js';
import { MAX_AUTHENTICATION_LENGTH } from '../../lambda/src/auth.js';
import { PREFIX, b58decode, maxEncodedLength } from '../../lambda/src/base58.js';
import { AUTHORIZED_TZ2, CRYPTO, authenticationFor, handle, rig, vectorHex } from './helpers.js';

const PKH = CRYPTO.keys.consensus_tz2.pkh;
const C3 = vectorHex('signatory-integration/C3');
const AUTH = CRYPTO.authentication.for_consensus_tz2.authentication; // for C3 to the tz2 key

const v2 = (over: Partial<LambdaHttpEvent> = {}): LambdaHttpEvent => ({
  version: '2.0',
  rawPath: `/keys/${PKH}`,
  rawQueryString: `authentication=${AUTH}`,
  requestContext: { requestId: 'v2-id', http: { method: 'POST' } },
  body: JSON.stringify(C3),
  isBase64Encoded: false,
  ...over,
});

const v1 = (over: Partial<LambdaHttpEvent> = {}): LambdaHttpEvent => ({
  version: '1.0',
  httpMethod: 'POST',
  path: `/keys/${PKH}`,
  queryStringParameters: { authentication: AUTH },
  multiValueQueryStringParameters: { authentication: [AUTH] },
  requestContext: { requestId: 'v1-id' },
  body: JSON.stringify(C3),
  isBase64Encoded: false,
  ...over,
});

describe('payload 2.0', () => {
  test('method, raw path, raw query, body, request id', () => {
    const r = requestFromEvent(v2({ requestContext: { requestId: 'abc', http: { method: 'post' } } }), 'fallback');
    expect(r.method).toBe('POST');
    expect(r.path).toBe(`/keys/${PKH}`);
    expect(r.query.get('authentication')).toEqual([AUTH]);
    expect(r.body).toBe(JSON.stringify(C3));
    expect(r.bodyBytes).toBe(JSON.stringify(C3).length);
    expect(r.requestId).toBe('abc');
  });

  test('a base64 body is decoded; its size is counted before decoding', () => {
    const encoded = Buffer.from(JSON.stringify(C3)).toString('base64');
    const r = requestFromEvent(v2({ body: encoded, isBase64Encoded: true }), 'f');
    expect(r.body).toBe(JSON.stringify(C3));
    expect(r.bodyBytes).toBe(encoded.length);
  });

  test('repeated and percent-encoded query parameters', () => {
    const r = requestFromEvent(v2({ rawQueryString: 'authentication=a&x=1&authentication=b%2Bc&y' }), 'f');
    expect(r.query.get('authentication')).toEqual(['a', 'b+c']);
    expect(r.query.get('x')).toEqual(['1']);
    expect(r.query.get('y')).toEqual(['']);
    expect(requestFromEvent(v2({ rawQueryString: '' }), 'f').query.size).toBe(0);
    expect(requestFromEvent(v2({ rawQueryString: undefined }), 'f').query.size).toBe(0);
  });

  test('no body, a null body, no request context', () => {
    for (const body of [undefined, null]) {
      const r = requestFromEvent(v2({ body, requestContext: null }), 'fallback-id');
      expect(r.body).toBeUndefined();
      expect(r.bodyBytes).toBe(0);
      expect(r.requestId).toBe('fallback-id');
      expect(r.method).toBe('');
    }
  });

  test('rawPath alone marks a 2.0 event', () => {
    const r = requestFromEvent({ rawPath: '/authorized_keys', requestContext: { http: { method: 'GET' } }, httpMethod: 'DELETE', path: '/x' }, 'f');
    expect(r).toMatchObject({ method: 'GET', path: '/authorized_keys' });
  });
});

describe('payload 1.0', () => {
  test('httpMethod, path, multi-value query preferred to the single-value one', () => {
    const r = requestFromEvent(v1({ multiValueQueryStringParameters: { authentication: ['a', 'b'] }, queryStringParameters: { authentication: 'b' } }), 'f');
    expect(r.method).toBe('POST');
    expect(r.path).toBe(`/keys/${PKH}`);
    expect(r.query.get('authentication')).toEqual(['a', 'b']);
    expect(r.requestId).toBe('v1-id');
  });

  test('single-value query only, no query, undefined entries', () => {
    expect(requestFromEvent(v1({ multiValueQueryStringParameters: null }), 'f').query.get('authentication')).toEqual([AUTH]);
    expect(requestFromEvent(v1({ multiValueQueryStringParameters: undefined, queryStringParameters: null }), 'f').query.size).toBe(0);
    expect(requestFromEvent(v1({ multiValueQueryStringParameters: { a: undefined, b: ['1'] } }), 'f').query).toEqual(new Map([['b', ['1']]]));
    expect(requestFromEvent(v1({ multiValueQueryStringParameters: null, queryStringParameters: { a: undefined } }), 'f').query.size).toBe(0);
  });

  test('a base64 body', () => {
    const r = requestFromEvent(v1({ body: Buffer.from(JSON.stringify(C3)).toString('base64'), isBase64Encoded: true }), 'f');
    expect(r.body).toBe(JSON.stringify(C3));
  });

  test('not an event at all', () => {
    expect(() => requestFromEvent(null as unknown as LambdaHttpEvent, 'f')).toThrow(MalformedRequest);
    expect(() => requestFromEvent('x' as unknown as LambdaHttpEvent, 'f')).toThrow(MalformedRequest);
  });
});

describe('routes match the end of the path', () => {
  test.each([
    ['/authorized_keys', { name: 'authorized_keys' }],
    ['/authorized_keys/', { name: 'authorized_keys' }],
    ['/prod/authorized_keys', { name: 'authorized_keys' }],
    ['/known_keys', { name: 'known_keys' }],
    ['/prod/known_keys/', { name: 'known_keys' }],
    [`/keys/${PKH}`, { name: 'key', pkh: PKH }],
    [`/keys/${PKH}/`, { name: 'key', pkh: PKH }],
    [`/prod/keys/${PKH}`, { name: 'key', pkh: PKH }],
    [`/v1/signer/keys/${PKH}/`, { name: 'key', pkh: PKH }],
    [`//keys//${PKH}`, { name: 'key', pkh: PKH }],
    ['/keys/tz2%41b', { name: 'key', pkh: 'tz2Ab' }],
    ['/keys', { name: 'none' }],
    ['/keys/', { name: 'none' }],
    ['/', { name: 'none' }],
    ['', { name: 'none' }],
    [`/keys/${PKH}/sign`, { name: 'none' }],
    [`/key/${PKH}`, { name: 'none' }],
    ['/authorized_keys/x', { name: 'none' }],
  ])('%s', (path, expected) => {
    expect(route(path)).toEqual(expected);
  });

  test('bad percent-encoding in the key hash is a 400', () => {
    expect(() => route('/keys/%E0%A4%A')).toThrow(MalformedRequest);
  });
});

describe('responses', () => {
  test('JSON, not cached; errors in the octez shape', () => {
    expect(jsonResponse(200, { signature: 's' })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: '{"signature":"s"}',
    });
    const e = errorResponse(409, 'no');
    expect(e.statusCode).toBe(409);
    expect(JSON.parse(e.body)).toEqual([{ kind: 'temporary', id: 'failure', msg: 'no' }]);
  });
});

describe('events through to the Signer', () => {
  const cases: [string, LambdaHttpEvent][] = [
    ['2.0, Function URL', v2()],
    ['2.0, HTTP API stage prefix', v2({ rawPath: `/prod/keys/${PKH}` })],
    ['2.0, trailing slash', v2({ rawPath: `/keys/${PKH}/` })],
    ['2.0, base64 body', v2({ body: Buffer.from(JSON.stringify(C3)).toString('base64'), isBase64Encoded: true })],
    ['1.0, REST API', v1()],
    ['1.0, stage prefix and trailing slash', v1({ path: `/prod/keys/${PKH}/` })],
    ['1.0, single-value query only', v1({ multiValueQueryStringParameters: null })],
    ['1.0, base64 body', v1({ body: Buffer.from(JSON.stringify(C3)).toString('base64'), isBase64Encoded: true })],
  ];

  test.each(cases)('%s: signed, then the identical retry gets the same signature', async (_name, event) => {
    const r = rig();
    const first = await handle(r.signer, requestFromEvent(event, 'f'));
    expect(first.status).toBe(200);
    expect(first.signature).toMatch(/^spsig1/);
    const again = await handle(r.signer, requestFromEvent(event, 'f'));
    expect(again.signature).toBe(first.signature);
  });

  test('1.0 with the authentication twice in the multi-value query: 400', async () => {
    const r = rig();
    const a = await handle(r.signer, requestFromEvent(v1({ multiValueQueryStringParameters: { authentication: [AUTH, AUTH] } }), 'f'));
    expect(a.status).toBe(400);
  });

  test('GET /prod/authorized_keys/ (1.0 and 2.0)', async () => {
    const r = rig();
    for (const event of [
      v1({ httpMethod: 'GET', path: '/prod/authorized_keys/', body: null }),
      v2({ rawPath: '/prod/authorized_keys/', requestContext: { http: { method: 'GET' } }, body: undefined }),
    ]) {
      const a = await handle(r.signer, requestFromEvent(event, 'f'));
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ authorized_keys: [CRYPTO.keys.authorized_tz2.pkh] });
    }
  });

  test('a base64 body over the limit is refused by its encoded size', async () => {
    const r = rig();
    const body = Buffer.from(JSON.stringify('11'.repeat(1600))).toString('base64'); // 3202 bytes, 4272 encoded
    const a = await handle(r.signer, requestFromEvent(v2({ body, isBase64Encoded: true }), 'f'));
    expect(a.status).toBe(413);
    const fresh = authenticationFor(AUTHORIZED_TZ2, PKH, fromHex(C3));
    expect((await handle(r.signer, requestFromEvent(v2({ rawQueryString: `authentication=${fresh}` }), 'f'))).status).toBe(200);
  });
});

describe('bounds, checked before any decoding', () => {
  test('a path of exactly the limit is read; one character more is a 400 naming the limit', () => {
    const at = (n: number) => `/${'p'.repeat(n - 1)}`;
    expect(requestFromEvent(v2({ rawPath: at(LIMITS.path) }), 'f').path).toHaveLength(LIMITS.path);
    expect(() => requestFromEvent(v2({ rawPath: at(LIMITS.path + 1) }), 'f')).toThrow(`rawPath of ${LIMITS.path + 1} characters; the limit is ${LIMITS.path}`);
    expect(() => requestFromEvent(v1({ path: at(LIMITS.path + 1) }), 'f')).toThrow(`path of ${LIMITS.path + 1} characters; the limit is ${LIMITS.path}`);
  });

  test('the longest valid query fits far within the query limit', () => {
    const longest = `authentication=${'z'.repeat(MAX_AUTHENTICATION_LENGTH)}`;
    expect(longest.length * 4).toBeLessThan(LIMITS.query);
    expect(requestFromEvent(v2({ rawQueryString: longest }), 'f').query.get('authentication')![0]).toHaveLength(MAX_AUTHENTICATION_LENGTH);
    expect(() => requestFromEvent(v2({ rawQueryString: 'a='.padEnd(LIMITS.query + 1, 'b') }), 'f')).toThrow(MalformedRequest);
  });

  test('an oversized base64 body is not decoded (the signer refuses it by size)', () => {
    const raw = 'A'.repeat(MAX_BODY_BYTES + 4);
    const r = requestFromEvent(v2({ body: raw, isBase64Encoded: true }), 'f');
    expect(r.body).toBe(raw);
    expect(r.bodyBytes).toBe(raw.length);
  });

  test('base58: the longest encodings of the Tezos forms, and longer strings refused undecoded', () => {
    expect(maxEncodedLength(3 + 20 + 4)).toBe(37); // tz1/tz2/tz3 are 36
    expect(maxEncodedLength(5 + 64 + 4)).toBe(MAX_AUTHENTICATION_LENGTH);
    expect(MAX_AUTHENTICATION_LENGTH).toBe(100);
    expect(b58decode(PREFIX.tz2, PKH)).toBeDefined();
    expect(b58decode(PREFIX.tz2, PKH + '1'.repeat(2))).toBeUndefined();
    expect(b58decode(PREFIX.tz2, `${PKH.slice(0, 10)}0${PKH.slice(11)}`)).toBeUndefined(); // '0' is not base58
  });
});
