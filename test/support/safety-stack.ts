// The stack the safety suites run on: the project's embedded DynamoDB (dynalite) behind the fault
// proxy, the project's local KMS endpoint holding keys whose secrets the suites know (written as its key
// files), the committed Lambda bundle in-process (one module instance per handler) or in separate
// `tezos-signer serve` processes, and a direct DynamoDB client to read the table.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request as httpRequest } from 'node:http';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { toHex } from '../../lambda/src/bytes.js';
import { ensureWatermarkTable, startLocalDynamo } from '../../local/dynamodb.js';
import { startFaultProxy, type FaultProxy } from '../../local/fault-proxy.js';
import { startLocalKms, type LocalKms } from '../../local/kms-server.js';
import type { SecretKey } from '../../local/secret-keys.js';
import { startSignerProcess, type SignerProcess } from './processes.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const BUNDLE = resolve(ROOT, 'lambda/dist/handler.mjs');
export const TABLE = 'safety-watermarks';
export const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const KEY_SPEC = { secp256k1: 'ECC_SECG_P256K1', p256: 'ECC_NIST_P256', ed25519: 'ECC_NIST_EDWARDS25519' } as const;

export interface StoredItem {
  level: number;
  round: number;
  digest: string;
  signature: string;
}

export interface SafetyStack {
  readonly dynamoUrl: string;
  readonly proxy: FaultProxy;
  readonly kms: LocalKms;
  readonly kmsKeyIds: string[];
  readonly env: Record<string, string>;
  read(pk: string): Promise<StoredItem | undefined>;
  scan(): Promise<Map<string, StoredItem>>;
  close(): Promise<void>;
}

export async function startSafetyStack(options: { kmsKeys: ReadonlyMap<string, SecretKey>; authorizedKeys: string[] }): Promise<SafetyStack> {
  const dir = await mkdtemp(join(tmpdir(), 'safety-kms-'));
  // The local KMS keeps one file per key: writing them gives it keys whose secrets the suites know.
  for (const [id, key] of options.kmsKeys) {
    const file = { KeyId: id, KeySpec: KEY_SPEC[key.curve], PrivateKey: toHex(key.secret), CreationDate: new Date(0).toISOString(), Description: 'safety suite key' };
    await writeFile(join(dir, `${id}.json`), JSON.stringify(file), { mode: 0o600 });
  }
  const dynamo = await startLocalDynamo({});
  const client = new DynamoDBClient({ region: REGION, credentials: CREDENTIALS, endpoint: dynamo.url });
  await ensureWatermarkTable(client, TABLE);
  const proxy = await startFaultProxy({ target: dynamo.url });
  const kms = await startLocalKms({ dir, port: 0, region: REGION });
  const toItem = (item: Record<string, { N?: string; S?: string }>): StoredItem => ({
    level: Number(item['level']?.N),
    round: Number(item['round']?.N),
    digest: item['digest']?.S ?? '',
    signature: item['signature']?.S ?? '',
  });
  return {
    dynamoUrl: dynamo.url,
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
      await Promise.allSettled([proxy.close(), kms.close(), dynamo.close()]);
      await rm(dir, { recursive: true, force: true });
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
  return (event) => handle(event, { awsRequestId: event.requestContext.requestId });
}

// ---------------------------------------------------------------------------------------------
// Signer processes: `tezos-signer serve` on real-AWS settings, configured from a stack's env.

export type ChildSigner = SignerProcess;

export function startChildSigner(env: Record<string, string>): Promise<ChildSigner> {
  const list = (name: string) => (env[name] ?? '').split(',').filter(Boolean);
  return startSignerProcess({
    kmsUrl: env['AWS_ENDPOINT_URL_KMS']!,
    dynamoUrl: env['AWS_ENDPOINT_URL_DYNAMODB']!,
    kmsKeyIds: list('SIGNER_KMS_KEY_IDS'),
    tableName: env['SIGNER_TABLE_NAME']!,
    authorizedKeys: list('SIGNER_AUTHORIZED_KEYS'),
  });
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
