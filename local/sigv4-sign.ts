// AWS Signature Version 4, the signing half: the canonical request, the string to sign and the HMAC
// chain, shared by the local services' verifier (local/sigv4.ts) and by `failover --sign-sigv4`, which
// signs each request it forwards to a Function URL with authorization AWS_IAM. node:crypto only: the
// CLI must not pull the SDK's signer into its bundle for four HMACs.
import { createHash, createHmac } from 'node:crypto';

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Temporary credentials (an assumed role): sent as x-amz-security-token, under the signature. */
  readonly sessionToken?: string | undefined;
}

export interface Scope {
  /** YYYYMMDD, the first 8 characters of X-Amz-Date. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** Headers as a signer or a verifier sees them: lower-case names. */
export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The hex signature of a canonical request under a scope. */
export function signature(secretAccessKey: string, scope: Scope, amzDate: string, canonical: string): string {
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256Hex(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, scope.date);
  key = hmac(key, scope.region);
  key = hmac(key, scope.service);
  key = hmac(key, 'aws4_request');
  return hmac(key, stringToSign).toString('hex');
}

/** The canonical request; `url` is the path and query as on the request line (already percent-encoded). */
export function canonicalRequest(request: { method: string; url: string; headers: HeaderMap }, signedHeaders: readonly string[], bodyHash: string): string {
  const question = request.url.indexOf('?');
  const path = question === -1 ? request.url : request.url.slice(0, question);
  const query = question === -1 ? '' : request.url.slice(question + 1);
  const headerLines = [...signedHeaders].sort().map((name) => {
    const value = request.headers[name];
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
  });
  return [request.method.toUpperCase(), canonicalPath(path), canonicalQuery(query), headerLines.join(''), [...signedHeaders].sort().join(';'), bodyHash].join('\n');
}

/** RFC 3986 encoding, as SigV4 wants it: every byte but the unreserved characters. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Non-S3 services: dot segments and empty segments removed, then the (already encoded) path encoded again. */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return encode(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query.split('&').filter(Boolean).map((pair) => {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? '' : pair.slice(equals + 1);
    return [encode(safeDecode(name)), encode(safeDecode(value))] as const;
  });
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return text;
  }
}

/** 20150830T123600Z */
export function amzDateOf(now: number): string {
  return new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface SignedHeaders {
  readonly 'x-amz-date': string;
  readonly authorization: string;
  readonly 'x-amz-content-sha256'?: string;
  readonly 'x-amz-security-token'?: string;
}

/**
 * The headers that sign one request to an AWS endpoint: `host` (which the HTTP client derives from the
 * URL, so it is signed but not returned), `x-amz-date`, the session token when there is one and, with
 * `contentSha256`, the body's hash as a header. The body is under the signature either way (its hash
 * ends the canonical request). Nothing else is signed, so a header an HTTP client adds on the way
 * (content-length, accept-encoding) cannot break the signature.
 */
export function signedHeadersFor(
  request: { method: string; url: URL; body: Uint8Array },
  credentials: SigningCredentials,
  scope: { region: string; service: string },
  options: { now?: number; contentSha256?: boolean } = {},
): SignedHeaders {
  const amzDate = amzDateOf(options.now ?? Date.now());
  const bodyHash = sha256Hex(request.body);
  const headers: Record<string, string> = { host: request.url.host, 'x-amz-date': amzDate };
  if (options.contentSha256) headers['x-amz-content-sha256'] = bodyHash;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const fullScope: Scope = { date: amzDate.slice(0, 8), region: scope.region, service: scope.service };
  const canonical = canonicalRequest({ method: request.method, url: `${request.url.pathname}${request.url.search}`, headers }, names, bodyHash);
  const value = signature(credentials.secretAccessKey, fullScope, amzDate, canonical);
  const { host: _host, ...sent } = headers;
  return {
    ...(sent as { 'x-amz-date': string }),
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${fullScope.date}/${scope.region}/${scope.service}/aws4_request, SignedHeaders=${names.join(';')}, Signature=${value}`,
  };
}
