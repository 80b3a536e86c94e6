// An HTTP proxy in front of an AWS-protocol endpoint (dynalite, the local KMS, any JSON-RPC service
// addressed with X-Amz-Target) that injects faults per request, chosen at run time by operation:
// server errors, throttling, delays (to provoke client timeouts), connections reset before the request
// reaches the service, and the ambiguous write: the request is forwarded and applied, then the answer
// is dropped, so the caller sees a failure for something that happened. Tests only.
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listen } from './listen.js';
import { checkHost, hostOf, signRequest, verifyRequest, type Credentials } from './sigv4.js';

/** What to do with one request. */
export type Fault =
  /** 500 with an InternalServerError body; nothing forwarded. */
  | 'error'
  /** 400 ThrottlingException; nothing forwarded. */
  | 'throttle'
  /** 400 ProvisionedThroughputExceededException (DynamoDB's throttling); nothing forwarded. */
  | 'provisioned'
  /** The connection is destroyed before anything is forwarded: nothing applied. */
  | 'reset'
  /** Forwarded and applied; then the connection is destroyed instead of answering. */
  | 'ambiguous'
  /** Waits, then forwards (also when the caller gave up meanwhile: a late request still lands). */
  | { readonly delayMs: number; readonly forward?: boolean }
  /** Forwards, then replaces the answer (a service answering something unusable). */
  | { readonly rewrite: (answer: { status: number; body: Buffer }) => { status?: number; body: Buffer | string } };

export interface FaultRule {
  readonly fault: Fault;
  /** How many requests to hit; then the rule stops applying (undefined: every request). */
  times?: number;
  /** Chance of hitting a request (default 1), drawn from the proxy's random source. */
  readonly probability?: number;
}

/**
 * Rules by operation: the part of X-Amz-Target after the dot (`GetItem`, `PutItem`, `Sign`,
 * `GetPublicKey`), or `*` for any operation without its own rule. Mutable at any time.
 */
export type FaultTable = Record<string, Fault | FaultRule | undefined>;

export interface FaultStats {
  /** Requests received, by operation. */
  readonly requests: Record<string, number>;
  /** Requests forwarded to the target (including ambiguous and delayed ones). */
  forwarded: number;
  /** Faults injected, by `<operation>:<fault name>`. */
  readonly injected: Record<string, number>;
  /** Total faults injected. */
  injectedTotal: number;
}

export interface FaultProxyOptions {
  /** Base URL of the service behind the proxy (http only). */
  readonly target: string;
  readonly port?: number;
  readonly host?: string;
  readonly faults?: FaultTable;
  /** Random source for rule probabilities (a seeded PRNG makes a run reproducible). */
  readonly random?: () => number;
  /**
   * The stack's credentials. The target checks the Host header and the signature, and the proxy
   * forwards to another host: it checks each request as the target would, then signs it again.
   */
  readonly credentials: Credentials;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /** Edit at run time: `proxy.faults['PutItem'] = 'ambiguous'`; delete or set undefined to heal. */
  readonly faults: FaultTable;
  readonly stats: FaultStats;
  /** Removes every rule. */
  heal(): void;
  close(): Promise<void>;
}

export function faultName(fault: Fault): string {
  if (typeof fault === 'string') return fault;
  if ('delayMs' in fault) return `delay${fault.delayMs}${fault.forward === false ? '-drop' : ''}`;
  return 'rewrite';
}

function isRule(value: Fault | FaultRule): value is FaultRule {
  return typeof value === 'object' && 'fault' in value;
}

function operationOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  const text = Array.isArray(target) ? target[0] : target;
  if (!text) return 'unknown';
  const dot = text.lastIndexOf('.');
  return dot === -1 ? text : text.slice(dot + 1);
}

function errorBody(request: IncomingMessage, type: string, message: string): string {
  // DynamoDB qualifies its error types with the API namespace; KMS answers the bare name.
  const target = String(request.headers['x-amz-target'] ?? '');
  const qualified = target.startsWith('DynamoDB_') ? `com.amazonaws.dynamodb.v20120810#${type}` : type;
  return JSON.stringify({ __type: qualified, message });
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The credential scope the caller signed for: the region from its Authorization header, the service from the target. */
function scopeOf(request: IncomingMessage): { region: string; service: string } {
  const credential = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ''));
  const target = String(request.headers['x-amz-target'] ?? '');
  return { region: credential?.[1] ?? 'us-east-1', service: target.startsWith('TrentService.') ? 'kms' : 'dynamodb' };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const faults: FaultTable = options.faults ?? {};
  const random = options.random ?? Math.random;
  const stats: FaultStats = { requests: {}, forwarded: 0, injected: {}, injectedTotal: 0 };
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const sockets = new Set<Socket>();

  /** The fault for this request, if a rule hits it; consumes one of the rule's `times`. */
  const pick = (operation: string): Fault | undefined => {
    const entry = faults[operation] ?? faults['*'];
    if (entry === undefined) return undefined;
    if (!isRule(entry)) return entry;
    if (entry.times !== undefined && entry.times <= 0) return undefined;
    if (entry.probability !== undefined && random() >= entry.probability) return undefined;
    if (entry.times !== undefined) entry.times -= 1;
    return entry.fault;
  };

  const forward = (request: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      stats.forwarded += 1;
      const resigned = signRequest(
        { method: request.method ?? 'POST', url: request.url ?? '/', headers: { ...request.headers, host: target.host }, body },
        options.credentials,
        scopeOf(request),
      );
      const headers = { ...resigned, 'content-length': String(body.length) };
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: request.method, path: request.url, headers, agent },
        (response) => {
          readAll(response).then(
            (data) => {
              const out: Record<string, string | string[]> = {};
              for (const [name, value] of Object.entries(response.headers)) {
                if (value !== undefined && name !== 'connection' && name !== 'transfer-encoding' && name !== 'content-length') out[name] = value;
              }
              resolve({ status: response.statusCode ?? 502, headers: out, body: data });
            },
            reject,
          );
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const reply = (response: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer | string) => {
    if (response.destroyed) return;
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    response.writeHead(status, { ...headers, 'content-length': String(data.length) });
    response.end(data);
  };

  const count = (operation: string, fault: Fault) => {
    const key = `${operation}:${faultName(fault)}`;
    stats.injected[key] = (stats.injected[key] ?? 0) + 1;
    stats.injectedTotal += 1;
  };

  const server = createServer((request, response) => {
    void (async () => {
      const operation = operationOf(request);
      stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;
      const body = await readAll(request);
      const json = { 'content-type': String(request.headers['content-type'] ?? 'application/x-amz-json-1.0') };
      const refused = checkHost(request.headers, hostOf(options.host ?? '127.0.0.1', port)) ?? verifyRequest({ method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body }, options.credentials, scopeOf(request).service);
      if (refused) return reply(response, refused.status, json, errorBody(request, refused.type, refused.message));
      const fault = pick(operation);
      if (fault !== undefined) count(operation, fault);
      try {
        if (fault === 'error') {
          return reply(response, 500, json, errorBody(request, 'InternalServerError', 'injected by the fault proxy'));
        }
        if (fault === 'throttle') {
          return reply(response, 400, json, errorBody(request, 'ThrottlingException', 'Rate exceeded (injected by the fault proxy)'));
        }
        if (fault === 'provisioned') {
          return reply(
            response,
            400,
            json,
            errorBody(request, 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded (injected by the fault proxy)'),
          );
        }
        if (fault === 'reset') {
          request.socket.destroy();
          return;
        }
        if (fault !== undefined && typeof fault === 'object' && 'delayMs' in fault) {
          await sleep(fault.delayMs);
          if (fault.forward === false) {
            request.socket.destroy();
            return;
          }
        }
        const answer = await forward(request, body);
        if (fault === 'ambiguous') {
          // Applied upstream; the caller never learns it.
          request.socket.destroy();
          return;
        }
        if (fault !== undefined && typeof fault === 'object' && 'rewrite' in fault) {
          const changed = fault.rewrite({ status: answer.status, body: answer.body });
          return reply(response, changed.status ?? answer.status, answer.headers, changed.body);
        }
        reply(response, answer.status, answer.headers, answer.body);
      } catch (error) {
        reply(response, 502, json, errorBody(request, 'ProxyError', `fault proxy could not reach ${target.origin}: ${(error as Error).message}`));
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 65_000;
  const { port, url } = await listen(server, options.port, options.host);
  return {
    url,
    port,
    faults,
    stats,
    heal() {
      for (const key of Object.keys(faults)) delete faults[key];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        agent.destroy();
      }),
  };
}
