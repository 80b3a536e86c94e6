// Lambda events in and out: Function URL and HTTP API (payload 2.0), REST API (payload 1.0).
import { MalformedRequest } from './errors.js';

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
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  requestContext?: { requestId?: string; http?: { method?: string } } | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

function queryFromRaw(raw: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(raw)) query.set(name, [...(query.get(name) ?? []), value]);
  return query;
}

function queryFromV1(event: LambdaHttpEvent): Map<string, string[]> {
  const query = new Map<string, string[]>();
  if (event.multiValueQueryStringParameters) {
    for (const [name, values] of Object.entries(event.multiValueQueryStringParameters)) if (values) query.set(name, [...values]);
  } else if (event.queryStringParameters) {
    for (const [name, value] of Object.entries(event.queryStringParameters)) if (value !== undefined) query.set(name, [value]);
  }
  return query;
}

export function requestFromEvent(event: LambdaHttpEvent, fallbackRequestId: string): HttpRequest {
  if (typeof event !== 'object' || event === null) throw new MalformedRequest('not an HTTP event');
  const v2 = event.version === '2.0' || event.rawPath !== undefined;
  const method = (v2 ? event.requestContext?.http?.method : event.httpMethod) ?? '';
  const path = (v2 ? event.rawPath : event.path) ?? '';
  const query = v2 ? queryFromRaw(event.rawQueryString ?? '') : queryFromV1(event);
  const rawBody = typeof event.body === 'string' ? event.body : undefined;
  const body = rawBody !== undefined && event.isBase64Encoded ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
  return {
    method: method.toUpperCase(),
    path,
    query,
    body,
    bodyBytes: rawBody === undefined ? 0 : Buffer.byteLength(rawBody),
    requestId: event.requestContext?.requestId ?? fallbackRequestId,
  };
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
