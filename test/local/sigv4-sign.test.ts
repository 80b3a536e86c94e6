// The SigV4 signer `failover --sign-sigv4` uses (local/sigv4-sign.ts): AWS's published test-suite
// vectors (signature-v4-test-suite: get-vanilla, get-vanilla-query-order-key-case, post-vanilla), the
// SDK's own signer (@smithy/signature-v4) on the requests the proxy sends to a Function URL (session
// token and body hash included), and the local verifier (local/sigv4.ts) refusing every alteration.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, test } from 'vitest';
import { signedHeadersFor, type SigningCredentials } from '../../local/sigv4-sign.js';
import { verifyRequest } from '../../local/sigv4.js';

const SUITE_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SUITE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const SUITE_SCOPE = { region: 'us-east-1', service: 'service' };
const EMPTY = new Uint8Array();

describe("AWS's SigV4 test suite (host and x-amz-date signed, region us-east-1, service `service`)", () => {
  test.each([
    ['get-vanilla', 'GET', 'https://example.amazonaws.com/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['get-vanilla-query-order-key-case', 'GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
    ['post-vanilla', 'POST', 'https://example.amazonaws.com/', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ])('%s', (_name, method, url, expected) => {
    const headers = signedHeadersFor({ method, url: new URL(url), body: EMPTY }, SUITE_CREDENTIALS, SUITE_SCOPE, { now: SUITE_TIME });
    expect(headers).toEqual({
      'x-amz-date': '20150830T123600Z',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${expected}`,
    });
  });
});

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Buffer =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** node:crypto as the SDK signer's hash (it takes a constructor; a secret makes it an HMAC). */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

const FUNCTION_URL = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws';
const PKH = 'tz2BFTyPeYRzxd5aiBchbXN3WCZhx7BqbMBq';
const AUTH = 'spsig1PPUFZucuAQybs5wsqsNQ68QNgFaBnVKMFaoZZfi1BtNnuCAWnmL9wVy5HfHkR6AeodjVGxpBVVSYcJKyMURn6K1yknYLm';
const BODY = Buffer.from('"11b3d79f990000000a00"');
const CREDENTIALS: SigningCredentials = { accessKeyId: 'ASIAEXAMPLEINVOKER01', secretAccessKey: 'k4EntTNoEN22pdavRF/KyeNx+e1BjtOGsCKu2CkBvnU=', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/session+token==' };
const NOW = Date.UTC(2026, 11, 5, 23, 30, 0);

describe('the requests the baker proxy sends to a Function URL, signed as the AWS SDK signs them', () => {
  const sdk = new SignatureV4({ credentials: CREDENTIALS, region: 'eu-west-1', service: 'lambda', sha256: NodeSha256 });

  test.each([
    ['GET /authorized_keys', 'GET', '/authorized_keys', EMPTY],
    ['POST a signing request with its authentication', 'POST', `/keys/${PKH}?authentication=${AUTH}`, BODY],
    ['a path with characters to encode', 'GET', '/keys/a%20b/./c', EMPTY],
  ])('%s: the same Authorization as @smithy/signature-v4', async (_name, method, path, body) => {
    const url = new URL(FUNCTION_URL + path);
    const ours = signedHeadersFor({ method, url, body }, CREDENTIALS, { region: 'eu-west-1', service: 'lambda' }, { now: NOW, contentSha256: true });
    const query = Object.fromEntries(url.searchParams);
    const theirs = await sdk.sign(
      { method, protocol: 'https:', hostname: url.hostname, path: url.pathname, query, headers: { host: url.host, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') }, body },
      { signingDate: new Date(NOW) },
    );
    expect(ours.authorization).toBe(theirs.headers['authorization']);
    expect(ours['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(ours.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
  });
});

describe('round trip through the local verifier (local/sigv4.ts), service lambda', () => {
  const plain = { accessKeyId: 'LOCALINVOKER', secretAccessKey: 'local-secret' };
  const url = new URL(`http://127.0.0.1:6732/keys/${PKH}?authentication=${AUTH}`);
  const signed = (credentials: SigningCredentials = plain, body: Uint8Array = BODY) => ({
    method: 'POST',
    url: `${url.pathname}${url.search}`,
    headers: { host: url.host, ...signedHeadersFor({ method: 'POST', url, body }, credentials, { region: 'us-east-1', service: 'lambda' }, { now: NOW, contentSha256: true }) },
    body,
  });

  test('a signed request verifies', () => {
    expect(verifyRequest(signed(), plain, 'lambda', NOW)).toBeUndefined();
  });

  test.each([
    ['another secret', () => verifyRequest(signed({ ...plain, secretAccessKey: 'wrong' }), plain, 'lambda', NOW)],
    ['another access key id', () => verifyRequest(signed({ ...plain, accessKeyId: 'SOMEONEELSE' }), plain, 'lambda', NOW)],
    ['another body', () => verifyRequest({ ...signed(), body: Buffer.from('"11ffffff"'), headers: { ...signed().headers, 'x-amz-content-sha256': undefined } }, plain, 'lambda', NOW)],
    ['another authentication in the query', () => verifyRequest({ ...signed(), url: `${url.pathname}?authentication=${AUTH.slice(0, -1)}x` }, plain, 'lambda', NOW)],
    ['another service', () => verifyRequest(signed(), plain, 'kms', NOW)],
    ['six minutes later', () => verifyRequest(signed(), plain, 'lambda', NOW + 6 * 60_000)],
  ])('%s: refused', (_name, verify) => {
    expect(verify()).toMatchObject({ status: 400 });
  });
});
