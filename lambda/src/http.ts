// Lambda events in and out: Function URL and HTTP API (payload 2.0), REST API (payload 1.0).
import { MalformedRequest } from './errors.js';

/** The longest consensus payload is a block header of 234 bytes; 4 KiB of body is far beyond it. */
export const MAX_BODY_BYTES = 4096;

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** Every value of each query parameter, in order. */
  readonly query: ReadonlyMap<string, readonly string[]>;
  readonly body: string | undefined;
  /** Raw body length in bytes, before base64 decoding. */
  readonly bodyBytes: number;
  readonly requestId: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The fields of the two API Gateway/Function URL payload formats that the signer reads. */
export interface LambdaHttpEvent {
  version?: string;
  rawPath?: string;
  rawQueryString?: string;
  httpMethod?: string;
  path?: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  requestContext?: { requestId?: string; http?: { method?: string } } | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/**
 * Bounds checked before anything is decoded, so that no request costs more than a small, fixed
 * amount of CPU before its authentication is verified, whatever its size. The longest valid request
 * is far below each: a path is a prefix (an API Gateway stage, a base path mapping) and
 * `/keys/<36-character pkh>`; a query is `authentication=<at most 100 base58 characters>`.
 */
export const LIMITS = {
  path: 1024,
  /** The raw query string (2.0), or the sum of the names and values of the parameters (1.0). */
  query: 1024,
  queryParameters: 16,
  method: 16,
  requestId: 256,
  /** Headers are not read, only type-checked: bounds well above what API Gateway or a Function URL passes. */
  headers: 200,
  headerBytes: 64 * 1024,
} as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalString(event: Record<string, unknown>, field: string, limit?: number): string | undefined {
  const value = event[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new MalformedRequest(`event field ${field} must be a string, not ${kindOf(value)}`);
  if (limit !== undefined && value.length > limit) throw new MalformedRequest(`${field} of ${value.length} characters; the limit is ${limit}`);
  return value;
}

function optionalObject(event: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const value = event[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new MalformedRequest(`event field ${field} must be an object, not ${kindOf(value)}`);
  return value;
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
}

/** Checks a map of strings (or of string arrays), its entry count and its total size, before any use. */
function checkStringMap(map: Record<string, unknown>, field: string, multi: boolean, maxEntries: number, maxChars: number): void {
  let entries = 0;
  let chars = 0;
  for (const name in map) {
    if (!Object.prototype.hasOwnProperty.call(map, name)) continue;
    entries += 1;
    if (entries > maxEntries) throw new MalformedRequest(`${field}: more than ${maxEntries} entries`);
    chars += name.length;
    const value = map[name];
    if (value === undefined || value === null) continue;
    if (multi) {
      if (!Array.isArray(value)) throw new MalformedRequest(`event field ${field} must map names to arrays of strings`);
      if (value.length > maxEntries) throw new MalformedRequest(`${field}: more than ${maxEntries} values for one name`);
      for (const item of value as unknown[]) {
        if (typeof item !== 'string') throw new MalformedRequest(`event field ${field} must map names to arrays of strings`);
        chars += item.length;
      }
    } else {
      if (typeof value !== 'string') throw new MalformedRequest(`event field ${field} must map names to strings`);
      chars += value.length;
    }
    if (chars > maxChars) throw new MalformedRequest(`${field} of more than ${maxChars} characters; the limit is ${maxChars}`);
  }
}

function queryFromRaw(raw: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(raw)) query.set(name, [...(query.get(name) ?? []), value]);
  return query;
}

function queryFromV1(single: Record<string, unknown> | undefined, multi: Record<string, unknown> | undefined): Map<string, string[]> {
  const query = new Map<string, string[]>();
  if (multi) {
    for (const [name, values] of Object.entries(multi)) if (Array.isArray(values)) query.set(name, [...(values as string[])]);
  } else if (single) {
    for (const [name, value] of Object.entries(single)) if (typeof value === 'string') query.set(name, [value]);
  }
  return query;
}

/**
 * Reads a Lambda HTTP event of either payload format. Everything it reads is checked for its type
 * and bounded in size first: a crafted event with a number where a string belongs, or a 16 KB path,
 * is a 400, never a 500 and never a costly decode.
 */
export function requestFromEvent(input: unknown, fallbackRequestId: string): HttpRequest {
  if (!isObject(input)) throw new MalformedRequest('not an HTTP event');
  const event = input;
  const version = optionalString(event, 'version', 8);
  const v2 = version === '2.0' || (event['rawPath'] !== undefined && event['rawPath'] !== null);

  const context = optionalObject(event, 'requestContext');
  const http = context ? optionalObject(context, 'http') : undefined;
  const requestId = context ? optionalString(context, 'requestId', LIMITS.requestId) : undefined;
  const method = (v2 ? (http ? optionalString(http, 'method', LIMITS.method) : undefined) : optionalString(event, 'httpMethod', LIMITS.method)) ?? '';
  const path = (v2 ? optionalString(event, 'rawPath', LIMITS.path) : optionalString(event, 'path', LIMITS.path)) ?? '';

  const headers = optionalObject(event, 'headers');
  if (headers) checkStringMap(headers, 'headers', false, LIMITS.headers, LIMITS.headerBytes);
  const multiHeaders = optionalObject(event, 'multiValueHeaders');
  if (multiHeaders) checkStringMap(multiHeaders, 'multiValueHeaders', true, LIMITS.headers, LIMITS.headerBytes);

  let query: Map<string, string[]>;
  if (v2) {
    query = queryFromRaw(optionalString(event, 'rawQueryString', LIMITS.query) ?? '');
  } else {
    const single = optionalObject(event, 'queryStringParameters');
    const multi = optionalObject(event, 'multiValueQueryStringParameters');
    if (single) checkStringMap(single, 'queryStringParameters', false, LIMITS.queryParameters, LIMITS.query);
    if (multi) checkStringMap(multi, 'multiValueQueryStringParameters', true, LIMITS.queryParameters, LIMITS.query);
    query = queryFromV1(single, multi);
  }

  const rawBody = optionalString(event, 'body');
  const base64 = event['isBase64Encoded'];
  if (base64 !== undefined && base64 !== null && typeof base64 !== 'boolean') {
    throw new MalformedRequest(`event field isBase64Encoded must be a boolean, not ${kindOf(base64)}`);
  }
  const bodyBytes = rawBody === undefined ? 0 : Buffer.byteLength(rawBody);
  // An oversized body is not decoded: the signer refuses it by its size (413) before reading it.
  const body = rawBody !== undefined && base64 === true && bodyBytes <= MAX_BODY_BYTES ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
  return { method: method.toUpperCase(), path, query, body, bodyBytes, requestId: requestId ?? fallbackRequestId };
}

export function jsonResponse(statusCode: number, body: unknown): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** Octez's error shape, so that octez-client prints the message. */
export function errorResponse(statusCode: number, message: string): HttpResponse {
  return jsonResponse(statusCode, [{ kind: 'temporary', id: 'failure', msg: message }]);
}

export type Route =
  | { readonly name: 'authorized_keys' }
  | { readonly name: 'known_keys' }
  | { readonly name: 'key'; readonly pkh: string }
  | { readonly name: 'none' };

/**
 * Matches the end of the path, so that a stage (`/prod`) or a base path mapping before `/keys` works.
 * Empty segments (a trailing slash) are ignored.
 */
export function route(path: string): Route {
  const segments = path.split('/').filter((s) => s !== '');
  const last = segments[segments.length - 1];
  if (last === 'authorized_keys') return { name: 'authorized_keys' };
  if (last === 'known_keys') return { name: 'known_keys' };
  if (segments.length >= 2 && segments[segments.length - 2] === 'keys' && last !== undefined) {
    let pkh: string;
    try {
      pkh = decodeURIComponent(last);
    } catch {
      throw new MalformedRequest('the key hash in the path is not valid percent-encoding');
    }
    return { name: 'key', pkh };
  }
  return { name: 'none' };
}
