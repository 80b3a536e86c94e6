// AWS Signature Version 4 for the local stack's endpoints (the KMS endpoint and the front of dynalite):
// per-start random credentials, the check of every request's signature and Host header, and the
// signing the fault proxy needs when it forwards a request to another port. node:crypto only.
//
// Why: without it, any local process (or a web page, through DNS rebinding) could call Sign on the
// consensus key or delete a watermark item. The checks follow the SigV4 specification: the canonical
// request (method, URI, query, the signed headers, the SHA-256 of the body), the string to sign over
// the credential scope, and an HMAC-SHA256 chain from the secret key.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SeenSignatures } from './seen-signatures.js';
import { amzDateOf, canonicalRequest, sha256Hex, signature } from './sigv4-sign.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Fresh credentials, in the shapes of AWS access keys: nothing else ever holds them. */
export function randomCredentials(): Credentials {
  return {
    accessKeyId: `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

/** An AWS-shaped refusal: the `__type` and message the SDK turns into a named exception. */
export interface Refusal {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

export interface RequestParts {
  readonly method: string;
  /** Path and query, as on the request line. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

/** The Host header values a server on `host:port` answers to: its own address, nothing else. */
export function hostOf(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** DNS rebinding: a page on another name that resolves to loopback still sends its own Host header. */
export function checkHost(headers: IncomingHttpHeaders, expected: string): Refusal | undefined {
  const host = headers.host;
  if (host === expected) return undefined;
  return { status: 403, type: 'AccessDeniedException', message: `Host ${JSON.stringify(host ?? '')} is not this endpoint (${expected}): refused` };
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const MAX_SKEW_MS = 5 * 60 * 1000;

export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** The header checks that need no body: run before the body is read. */
export function checkAuthorizationHeader(headers: IncomingHttpHeaders, credentials: Credentials, service: string): ParsedAuthorization | Refusal {
  const header = headers.authorization;
  if (header === undefined || header === '') {
    return { status: 400, type: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' };
  }
  const match = AUTHORIZATION.exec(header);
  const scope = match?.[1]?.split('/');
  if (!match || scope?.length !== 5 || scope[4] !== 'aws4_request') {
    return { status: 400, type: 'IncompleteSignatureException', message: 'Authorization header is not an AWS4-HMAC-SHA256 signature' };
  }
  const [accessKeyId, date, region, scopeService] = scope as [string, string, string, string];
  if (!safeEqual(accessKeyId, credentials.accessKeyId)) {
    return { status: 400, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  const signedHeaders = match[2]!.split(';');
  for (const required of ['host', 'x-amz-date', ...(headers['x-amz-target'] !== undefined ? ['x-amz-target'] : [])]) {
    if (!signedHeaders.includes(required)) {
      return { status: 400, type: 'IncompleteSignatureException', message: `the signature must cover the ${required} header` };
    }
  }
  if (scopeService !== service) {
    return { status: 400, type: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${service}'.` };
  }
  return { accessKeyId, date, region, service, signedHeaders, signature: match[3]! };
}

/** The date window and the signature over the headers, given the body's SHA-256 (declared or computed). */
function verifySignedParts(
  request: Omit<RequestParts, 'body'>,
  parsed: ParsedAuthorization,
  credentials: Credentials,
  bodyHash: string,
  now: number,
): Refusal | { time: number } {
  const amzDate = single(request.headers['x-amz-date']);
  const time = amzDate === undefined ? NaN : parseAmzDate(amzDate);
  if (Number.isNaN(time) || amzDate!.slice(0, 8) !== parsed.date) {
    return { status: 400, type: 'IncompleteSignatureException', message: 'X-Amz-Date is missing, malformed or outside the credential scope date' };
  }
  if (Math.abs(now - time) > MAX_SKEW_MS) {
    return { status: 400, type: 'InvalidSignatureException', message: 'Signature expired: the request time is more than 5 minutes from the server time.' };
  }
  const expected = signature(credentials.secretAccessKey, parsed, amzDate!, canonicalRequest(request, parsed.signedHeaders, bodyHash));
  if (!safeEqual(expected, parsed.signature)) {
    return {
      status: 400,
      type: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    };
  }
  return { time };
}

const BODY_HASH_MISMATCH: Refusal = { status: 400, type: 'InvalidSignatureException', message: 'The provided x-amz-content-sha256 header does not match what was computed.' };

/** Verifies the signature of a whole request; undefined when it is valid and signed by `credentials`. */
export function verifyRequest(request: RequestParts, credentials: Credentials, service: string, now = Date.now()): Refusal | undefined {
  const parsed = checkAuthorizationHeader(request.headers, credentials, service);
  if ('status' in parsed) return parsed;
  const bodyHash = sha256Hex(request.body);
  const declared = single(request.headers['x-amz-content-sha256']);
  if (declared !== undefined && declared !== bodyHash) return BODY_HASH_MISMATCH;
  const verified = verifySignedParts(request, parsed, credentials, bodyHash, now);
  return 'status' in verified ? verified : undefined;
}

/**
 * Signs a request (for the fault proxy, which forwards to another port, so another Host): sets `host`,
 * `x-amz-date` and `authorization` on a copy of the headers and signs every header it is given.
 */
export function signRequest(request: RequestParts, credentials: Credentials, scope: { region: string; service: string }, now = Date.now()): IncomingHttpHeaders {
  const amzDate = amzDateOf(now);
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (value !== undefined && lower !== 'authorization' && lower !== 'connection' && lower !== 'content-length' && lower !== 'transfer-encoding') headers[lower] = value;
  }
  headers['x-amz-date'] = amzDate;
  headers['x-amz-content-sha256'] = sha256Hex(request.body);
  const signedHeaders = Object.keys(headers).sort();
  const parsed = { date: amzDate.slice(0, 8), region: scope.region, service: scope.service };
  const value = signature(credentials.secretAccessKey, parsed, amzDate, canonicalRequest({ ...request, headers }, signedHeaders, sha256Hex(request.body)));
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${parsed.date}/${scope.region}/${scope.service}/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${value}`;
  return headers;
}

function parseAmzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : NaN;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Reads a body up to `limit` bytes; undefined when it is longer (the caller answers 413). */
export async function readBounded(stream: AsyncIterable<unknown>, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** What a local service checks every request against. */
export interface Guard {
  readonly credentials: Credentials;
  /** The SigV4 service name: kms, dynamodb. */
  readonly service: string;
  /** The Host header of the service's own address and port (hostOf). */
  readonly expectedHost: string;
  /** The largest body read: above the largest legitimate request of the service, far below a flood. */
  readonly maxBodyBytes: number;
  readonly seen: SeenSignatures;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * What both local services run first on every request. Everything that the headers decide is decided
 * before one byte of the body is read: the Host header, the credential, the date window, the
 * signature itself (it covers the body only through the signed x-amz-content-sha256 header, which the
 * SDK always sends), and whether that signature was seen before (a replay). Only a request that passed
 * all of these gets its body read, bounded by `maxBodyBytes`, and the body must hash to what was signed.
 */
export async function checkSigned(
  request: { headers: IncomingHttpHeaders; method?: string | undefined; url?: string | undefined } & AsyncIterable<unknown>,
  guard: Guard,
  now = Date.now(),
): Promise<Refusal | { body: Buffer }> {
  const host = checkHost(request.headers, guard.expectedHost);
  if (host) return host;
  const parsed = checkAuthorizationHeader(request.headers, guard.credentials, guard.service);
  if ('status' in parsed) return parsed;
  const declared = single(request.headers['x-amz-content-sha256']);
  if (!parsed.signedHeaders.includes('x-amz-content-sha256') || declared === undefined || !SHA256_HEX.test(declared)) {
    return { status: 400, type: 'IncompleteSignatureException', message: 'the signature must cover an x-amz-content-sha256 header holding the hex SHA-256 of the body' };
  }
  const parts = { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers };
  const verified = verifySignedParts(parts, parsed, guard.credentials, declared, now);
  if ('status' in verified) return verified;
  // Remembered before the body is read (no await in between): two copies racing cannot both pass.
  const remembered = guard.seen.remember(parsed.signature, verified.time + MAX_SKEW_MS, now);
  if (remembered === 'replay') return { status: 400, type: 'InvalidSignatureException', message: 'Signature already used: a replayed request is refused.' };
  if (remembered === 'full') return { status: 503, type: 'ThrottlingException', message: `more than ${guard.seen.capacity} signed requests within five minutes: refused rather than forget a signature` };
  const declaredLength = Number(single(request.headers['content-length']) ?? 0);
  if (declaredLength > guard.maxBodyBytes) return tooLarge(guard.maxBodyBytes);
  const body = await readBounded(request, guard.maxBodyBytes);
  if (body === undefined) return tooLarge(guard.maxBodyBytes);
  return sha256Hex(body) === declared ? { body } : BODY_HASH_MISMATCH;
}

function tooLarge(limit: number): Refusal {
  return { status: 413, type: 'ValidationException', message: `request body over ${limit} bytes` };
}
