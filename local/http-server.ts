// A plain HTTP server in front of the Lambda handler: each request becomes a Function URL event
// (payload 2.0), exactly what AWS would deliver, so the local signer runs the same code path. Two
// things are the front's own: the Host check (DNS rebinding), and GET /health, which a supervisor may
// poll as often as it likes because it never reaches the handler, AWS or the watermark.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { listen } from './listen.js';
import { FORBIDDEN, headersMayPass, signedByInvoker, type FunctionUrlIam } from './function-url-auth.js';

export interface LambdaResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export type LambdaHandler = (event: unknown, context: { awsRequestId: string }) => Promise<LambdaResponse>;

/** Bodies larger than this are cut off before the handler, as a Function URL limits payloads too. */
const MAX_BODY = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function toFunctionUrlEvent(method: string, url: string, headers: Record<string, string>, body: Buffer, requestId: string): unknown {
  const question = url.indexOf('?');
  const rawPath = question === -1 ? url : url.slice(0, question);
  const rawQueryString = question === -1 ? '' : url.slice(question + 1);
  const isText = body.length === 0 || !body.includes(0);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: { requestId, http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' } },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
  };
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * Whether a Host header names this server. A web page that DNS rebinding points at this address still
 * sends its own name as Host, so a name is never accepted: on a specific address, Host must be that
 * address and port; on a wildcard address (0.0.0.0, ::), any IP address with this port.
 */
export function hostAllowed(header: string | undefined, listenHost: string, port: number): boolean {
  if (header === undefined) return false;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d+)$/.exec(header);
  if (!match || Number(match[3]) !== port) return false;
  const address = (match[1] ?? match[2])!;
  if (WILDCARD.has(listenHost)) return isIP(address) !== 0;
  return address === listenHost;
}

function octezError(response: ServerResponse, status: number, msg: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify([{ kind: 'temporary', id: 'failure', msg }]));
}

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  /** How many requests reached the handler: on Lambda, how many invocations were billed. */
  handlerInvocations(): number;
  close(): Promise<void>;
}

export interface FrontOptions {
  /** A Function URL with authorization AWS_IAM: only requests signed with these credentials reach the handler. */
  readonly functionUrlIam?: FunctionUrlIam | undefined;
}

function forbidden(response: ServerResponse): void {
  response.writeHead(FORBIDDEN.status, { 'content-type': 'application/json' });
  response.end(FORBIDDEN.body);
}

export async function serveHandler(handler: LambdaHandler, port: number, host = '127.0.0.1', options: FrontOptions = {}): Promise<RunningServer> {
  let boundPort = port;
  let invocations = 0;
  const iam = options.functionUrlIam;
  const server = createServer((request, response) => {
    void (async () => {
      if (!hostAllowed(request.headers.host, host, boundPort)) {
        response.setHeader('connection', 'close');
        const address = host.includes(':') ? `[${host}]:${boundPort}` : `${host}:${boundPort}`;
        return octezError(response, 403, `Host ${JSON.stringify(request.headers.host ?? '')} is not this signer's address (${WILDCARD.has(host) ? `an IP address, port ${boundPort}` : address}): refused (DNS rebinding); use http://${address}`);
      }
      if ((request.method === 'GET' || request.method === 'HEAD') && (request.url ?? '/').split('?')[0] === '/health') {
        response.writeHead(200, { 'content-type': 'application/json' });
        // With AWS_IAM, the count is the local proof that a refused flood invoked (billed) nothing.
        const health = iam ? { status: 'ok', handler_invocations: invocations } : { status: 'ok' };
        response.end(request.method === 'HEAD' ? undefined : JSON.stringify(health));
        return;
      }
      // Unsigned or wrongly signed: refused on the headers alone, before one byte of the body is read.
      if (iam && !headersMayPass(request.headers, iam)) return forbidden(response);
      const requestId = randomUUID();
      let result: LambdaResponse;
      try {
        const body = await readBody(request);
        if (iam && !signedByInvoker({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body }, iam)) return forbidden(response);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
        invocations += 1;
        result = await handler(toFunctionUrlEvent(request.method ?? 'GET', request.url ?? '/', headers, body, requestId), { awsRequestId: requestId });
      } catch (error) {
        const msg = error instanceof Error && error.message === 'body too large' ? 'body too large' : 'internal error';
        result = { statusCode: msg === 'body too large' ? 413 : 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ kind: 'temporary', id: 'failure', msg }]) };
      }
      response.writeHead(result.statusCode, result.headers ?? {});
      response.end(result.body ?? '');
    })();
  });
  server.keepAliveTimeout = 65_000;
  const bound = await listen(server, port, host);
  boundPort = bound.port;
  return {
    server,
    port: bound.port,
    url: bound.url,
    handlerInvocations: () => invocations,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
