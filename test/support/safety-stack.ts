// The stack the safety suites run on: dynalite (a real DynamoDB implementation) behind the fault proxy,
// a test KMS holding known keys, the committed Lambda bundle in-process (one module instance per
// handler) or in separate signer processes, and a direct DynamoDB client to read the table.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request as httpRequest } from 'node:http';
import { build } from 'esbuild';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createRequire } from 'node:module';
import { startFaultProxy, type FaultProxy } from '../../local/fault-proxy.js';
import type { SecretKey } from '../../local/secret-keys.js';
import { startTestKms, type TestKms } from './test-kms.js';

// dynalite ships no types: a function that returns an http.Server.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: object) => import('node:http').Server;

const ROOT = resolve(import.meta.dirname, '../..');
export const BUNDLE = resolve(ROOT, 'lambda/dist/handler.mjs');
export const TABLE = 'safety-watermarks';
export const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface StoredItem {
  level: number;
  round: number;
  digest: string;
  signature: string;
}

export interface SafetyStack {
  readonly dynamoUrl: string;
  readonly proxy: FaultProxy;
  readonly kms: TestKms;
  readonly kmsKeyIds: string[];
  readonly env: Record<string, string>;
  read(pk: string): Promise<StoredItem | undefined>;
  scan(): Promise<Map<string, StoredItem>>;
  close(): Promise<void>;
}

export async function startSafetyStack(options: { kmsKeys: ReadonlyMap<string, SecretKey>; stranger: SecretKey; authorizedKeys: string[] }): Promise<SafetyStack> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const dynamoUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const client = new DynamoDBClient({ region: REGION, credentials: CREDENTIALS, endpoint: dynamoUrl });
  await client.send(
    new CreateTableCommand({ TableName: TABLE, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
  );
  const proxy = await startFaultProxy({ target: dynamoUrl });
  const kms = await startTestKms(options.kmsKeys, options.stranger);
  const toItem = (item: Record<string, { N?: string; S?: string }>): StoredItem => ({
    level: Number(item['level']?.N),
    round: Number(item['round']?.N),
    digest: item['digest']?.S ?? '',
    signature: item['signature']?.S ?? '',
  });
  return {
    dynamoUrl,
    proxy,
    kms,
    kmsKeyIds: [...options.kmsKeys.keys()],
    env: {
      SIGNER_KMS_KEY_IDS: [...options.kmsKeys.keys()].join(','),
      SIGNER_TABLE_NAME: TABLE,
      SIGNER_AUTHORIZED_KEYS: options.authorizedKeys.join(','),
      SIGNER_ALLOWED_CHAIN_IDS: '',
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_KMS: kms.url,
      AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
    },
    async read(pk) {
      const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk } }, ConsistentRead: true }));
      return Item ? toItem(Item as Record<string, { N?: string; S?: string }>) : undefined;
    },
    async scan() {
      const out = new Map<string, StoredItem>();
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start as never } : {}) }));
        for (const item of page.Items ?? []) out.set(item['pk']!.S!, toItem(item as Record<string, { N?: string; S?: string }>));
        start = page.LastEvaluatedKey;
      } while (start);
      return out;
    },
    async close() {
      client.destroy();
      await Promise.allSettled([proxy.close(), kms.close(), new Promise<void>((ok) => server.close(() => ok()))]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The handler in-process: a fresh module instance of the committed bundle per handler.

export interface InProcessEvent {
  version: '2.0';
  rawPath: string;
  rawQueryString: string;
  requestContext: { requestId: string; http: { method: string } };
  body?: string;
}
export type InProcessHandler = (event: InProcessEvent) => Promise<{ statusCode: number; body: string }>;

let instances = 0;

/** createHandler(loadConfig(env), clients) of a fresh instance of lambda/dist/handler.mjs. */
export async function inProcessHandler(env: Record<string, string>, clients: Record<string, unknown> = {}): Promise<InProcessHandler> {
  Object.assign(process.env, env);
  instances += 1;
  const module = (await import(`${pathToFileURL(BUNDLE).href}?instance=safety-${instances}`)) as {
    createHandler: (config: unknown, options: unknown) => (event: unknown, context?: unknown) => Promise<{ statusCode: number; body: string }>;
    loadConfig: (env: Record<string, string | undefined>) => unknown;
  };
  const handle = module.createHandler(module.loadConfig(env), clients);
  return async (event) => quiet(() => handle(event, { awsRequestId: event.requestContext.requestId }));
}

/** Runs `work` with the handler's JSON log lines kept off the test output. */
let quietDepth = 0;
const realWrite = process.stdout.write.bind(process.stdout);
async function quiet<T>(work: () => Promise<T>): Promise<T> {
  if (quietDepth++ === 0) {
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string' && chunk.startsWith('{"')) return true;
      return (realWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
  try {
    return await work();
  } finally {
    if (--quietDepth === 0) process.stdout.write = realWrite;
  }
}

// ---------------------------------------------------------------------------------------------
// Signer processes.

export interface ChildSigner {
  readonly url: string;
  readonly child: ChildProcess;
  /** Request log lines seen (one per request), for counting. */
  lines: number;
  stop(): Promise<void>;
}

let childScript: Promise<string> | undefined;

async function buildChild(): Promise<string> {
  const outdir = resolve(ROOT, 'node_modules/.cache/safety');
  await mkdir(outdir, { recursive: true });
  const outfile = resolve(outdir, `signer-child-${process.pid}.mjs`);
  await build({ absWorkingDir: ROOT, entryPoints: ['test/support/signer-child.ts'], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent' });
  return outfile;
}

export async function startChildSigner(env: Record<string, string>): Promise<ChildSigner> {
  const script = await (childScript ??= buildChild());
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env['PATH'] ?? '', NODE_NO_WARNINGS: '1', SIGNER_BUNDLE: BUNDLE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = createInterface({ input: child.stdout! });
  const state = { lines: 0 };
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`signer child did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => fail(new Error(`signer child exited with ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      if (line.startsWith('{"url"')) {
        clearTimeout(timer);
        ok((JSON.parse(line) as { url: string }).url);
      } else state.lines += 1;
    });
  });
  return {
    url,
    child,
    get lines() {
      return state.lines;
    },
    set lines(v) {
      state.lines = v;
    },
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null || child.signalCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// An HTTP client with a bounded socket pool (fetch would open a socket per concurrent request).

export interface HttpAnswer {
  status: number;
  body: unknown;
  text: string;
  /** 0 when the connection failed (a killed process): the error message is in text. */
}

export function httpClient(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const send = (url: string, init: { method?: string; path: string; body?: string; headers?: Record<string, string> }): Promise<HttpAnswer> =>
    new Promise((ok) => {
      const target = new URL(url);
      const req = httpRequest(
        { host: target.hostname, port: target.port, method: init.method ?? 'POST', path: init.path, agent, headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers, ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              /* keep the text */
            }
            ok({ status: res.statusCode ?? 0, body, text });
          });
          res.on('error', (e) => ok({ status: 0, body: undefined, text: e.message }));
        },
      );
      req.on('error', (e) => ok({ status: 0, body: undefined, text: e.message }));
      req.end(init.body);
    });
  return { send, close: () => agent.destroy() };
}
