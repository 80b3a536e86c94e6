// The loopback proxy of `tezos-signer failover`: octez-client sends each request here, and it goes,
// unchanged (path, `authentication` query, body), to one region after another as cli/failover-route.ts
// orders them, until one answers. One JSON line per request says which region answered.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen } from '../local/listen.js';
import { DEFAULT_POLICY, Health, describeOutcome, route, type FailoverPolicy, type Outcome } from './failover-route.js';

/** Larger than any consensus request; the signer itself refuses bodies above its own, smaller, limit. */
const MAX_BODY = 64 * 1024;

export interface Upstream {
  /** Shown in logs: the URL's host. */
  readonly name: string;
  readonly url: URL;
}

export interface FailoverLine {
  readonly time: string;
  readonly method: string;
  /** The path without its query: the `authentication` signature is never logged. */
  readonly path: string;
  /** The region whose answer was returned, or null when none answered. */
  readonly upstream: string | null;
  readonly status: number;
  readonly ms: number;
  readonly attempts: { upstream: string; result: string; ms: number }[];
}

/**
 * Headers that authenticate one attempt to its upstream (`--sign-sigv4`: cli/failover-sigv4.ts), made
 * afresh for each attempt: a signature carries its time, and each upstream its own Region.
 */
export type SignAttempt = (upstream: Upstream, request: { method: string; url: URL; body: Buffer }) => Promise<Record<string, string>>;

export interface FailoverOptions {
  readonly upstreams: readonly Upstream[];
  readonly sign?: SignAttempt | undefined;
  readonly host: string;
  readonly port: number;
  readonly policy?: FailoverPolicy;
  readonly log?: (line: FailoverLine) => void;
}

export interface RunningFailover {
  readonly url: string;
  readonly port: number;
  readonly health: Health;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

export function upstreamOf(text: string): Upstream {
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an http(s) URL: ${text}`);
  if (url.search !== '' || url.hash !== '') throw new Error(`an upstream is a base URL, without query or fragment: ${text}`);
  return { name: url.host, url };
}

/** The upstream URL for a request path: the upstream's own path prefix, then the request's path and query. */
export function targetUrl(upstream: URL, requestUrl: string): string {
  const base = upstream.href.replace(/\/+$/, '');
  return base + (requestUrl.startsWith('/') ? requestUrl : `/${requestUrl}`);
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function octezError(status: number, msg: string): Answer {
  return { status, contentType: 'application/json', body: Buffer.from(JSON.stringify([{ kind: 'temporary', id: 'failure', msg }])) };
}

/** One attempt: the request to one upstream, over when it answered, failed or ran out of time. */
async function attempt(upstream: Upstream, method: string, requestUrl: string, headers: Record<string, string>, body: Buffer, timeoutMs: number, sign: SignAttempt | undefined): Promise<{ outcome: Outcome; response?: Answer }> {
  // One URL object, signed and fetched: the path and query under the signature are the ones sent.
  const url = new URL(targetUrl(upstream.url, requestUrl));
  let signed: Record<string, string> = {};
  try {
    if (sign) signed = await sign(upstream, { method, url, body: method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : body });
  } catch (error) {
    // No credentials (or none that resolve): nothing was sent. The message is the provider's, never a secret.
    return { outcome: { kind: 'connection_error', detail: `sigv4: ${(error as Error).message}` } };
  }
  // The abort closes the connection: nothing more of this attempt reaches the region after it.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method,
      headers: { ...headers, ...signed },
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(body) }),
      signal: controller.signal,
      redirect: 'manual',
    });
    const answer: Answer = { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body: Buffer.from(await response.arrayBuffer()) };
    return { outcome: { kind: 'answer', status: answer.status }, response: answer };
  } catch (error) {
    if (controller.signal.aborted) return { outcome: { kind: 'timeout' } };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { outcome: { kind: 'connection_error', detail: cause?.code ?? cause?.message ?? (error as Error).message } };
  } finally {
    clearTimeout(timer);
  }
}

export async function startFailover(options: FailoverOptions): Promise<RunningFailover> {
  if (options.upstreams.length === 0) throw new Error('no upstream');
  const policy = options.policy ?? DEFAULT_POLICY;
  const health = new Health(options.upstreams.length, policy);
  const log = options.log ?? ((line) => process.stdout.write(`${JSON.stringify(line)}\n`));

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const requestUrl = request.url ?? '/';
    const path = requestUrl.split('?')[0]!;
    const body = await readBody(request);
    let answer: Answer;
    let upstream: string | null = null;
    let attempts: FailoverLine['attempts'] = [];
    if (body === undefined) {
      answer = octezError(413, `failover: body larger than ${MAX_BODY} bytes`);
    } else {
      const headers: Record<string, string> = { accept: 'application/json' };
      const type = request.headers['content-type'];
      if (typeof type === 'string') headers['content-type'] = type;
      const signing = method === 'POST' && path.startsWith('/keys/');
      const routed = await route(health, policy, () => performance.now(), signing, (i, timeoutMs) => attempt(options.upstreams[i]!, method, requestUrl, headers, body, timeoutMs, options.sign));
      attempts = routed.attempts.map((a) => ({ upstream: options.upstreams[a.upstream]!.name, result: describeOutcome(a.outcome), ms: Math.round(a.ms) }));
      if (routed.response !== undefined && routed.upstream !== undefined) {
        answer = routed.response;
        upstream = options.upstreams[routed.upstream]!.name;
      } else {
        const tried = attempts.map((a) => `${a.upstream}: ${a.result} after ${a.ms} ms`).join('; ');
        answer = octezError(503, `failover: no region answered within ${policy.budgetMs} ms (${tried || 'no attempt fitted the budget'}); nothing was signed by this request, an identical retry is safe`);
      }
    }
    if (!response.destroyed) {
      response.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
      response.end(answer.body);
    }
    log({ time: new Date().toISOString(), method, path, upstream, status: answer.status, ms: Math.round(performance.now() - started), attempts });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent && !response.destroyed) {
        const answer = octezError(500, 'failover: internal error');
        response.writeHead(500, { 'content-type': answer.contentType });
        response.end(answer.body);
      }
    });
  });
  const bound = await listen(server, options.port, options.host);
  return {
    url: bound.url,
    port: bound.port,
    health,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
