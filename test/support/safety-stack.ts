// The stack the safety suites run on: the project's embedded DynamoDB (dynalite) behind the fault
// proxy, the project's local KMS endpoint with consensus keys created through the SDK (the suites know
// their public keys only, read back with GetPublicKey), the committed Lambda bundle in-process (one
// module instance per handler) or in separate `tezos-signer serve` processes (test/support/processes.ts),
// and a direct DynamoDB client to read the table.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importHandler } from '../../cli/serve.js';
import { Agent, request as httpRequest } from 'node:http';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { publicKeyFromSpki, type Curve } from '../../lambda/src/keys.js';
import type { ConsensusKey } from '../../lambda/src/kms.js';
import { ensureWatermarkTable, startLocalDynamo } from '../../local/dynamodb.js';
import { startFaultProxy, type FaultProxy } from '../../local/fault-proxy.js';
import { startLocalKms, type KeySpec, type LocalKms } from '../../local/kms-server.js';
import type { ProcessOptions } from './processes.js';
import { randomCredentials, type Credentials } from '../../local/sigv4.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const BUNDLE = resolve(ROOT, 'lambda/dist/handler.mjs');
export const TABLE = 'safety-watermarks';
export const REGION = 'us-east-1';
const KEY_SPEC: Record<Curve, KeySpec> = { secp256k1: 'ECC_SECG_P256K1', p256: 'ECC_NIST_P256', ed25519: 'ECC_NIST_EDWARDS25519' };

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
  /** The run's credentials: the local KMS, dynalite's front and the fault proxy accept no others. */
  readonly credentials: Credentials;
  /** The consensus keys by the suite's label, in the order asked: KMS key id and public key. */
  readonly consensus: ReadonlyMap<string, ConsensusKey>;
  /** The bundle's environment, for inProcessHandler. */
  readonly env: Record<string, string>;
  /** The same settings for startSignerProcess (DynamoDB through the fault proxy). */
  readonly signerOptions: ProcessOptions;
  read(pk: string): Promise<StoredItem | undefined>;
  scan(): Promise<Map<string, StoredItem>>;
  close(): Promise<void>;
}

export async function startSafetyStack(options: { consensusKeys: Readonly<Record<string, Curve>>; authorizedKeys: string[] }): Promise<SafetyStack> {
  const dir = await mkdtemp(join(tmpdir(), 'safety-kms-'));
  // One set of random credentials for the run, as `npm start` makes one per start.
  const CREDENTIALS = randomCredentials();
  const dynamo = await startLocalDynamo({ credentials: CREDENTIALS });
  const client = new DynamoDBClient({ region: REGION, credentials: CREDENTIALS, endpoint: dynamo.url });
  await ensureWatermarkTable(client, TABLE);
  const proxy = await startFaultProxy({ target: dynamo.url, credentials: CREDENTIALS });
  const kms = await startLocalKms({ dir, port: 0, region: REGION, credentials: CREDENTIALS });
  // Keys are created as an operator would (cli/local-stack.ts): the secrets stay in the local KMS.
  const kmsClient = new KMSClient({ region: REGION, credentials: CREDENTIALS, endpoint: kms.url });
  const created = await Promise.all(
    Object.entries(options.consensusKeys).map(async ([label, curve]): Promise<[string, ConsensusKey]> => {
      const { KeyMetadata } = await kmsClient.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY', KeySpec: KEY_SPEC[curve], Description: label }));
      const keyId = KeyMetadata?.KeyId;
      if (keyId === undefined) throw new Error(`local KMS did not return a key id for ${label}`);
      const { PublicKey } = await kmsClient.send(new GetPublicKeyCommand({ KeyId: keyId }));
      const publicKey = publicKeyFromSpki(PublicKey!);
      if (publicKey.curve !== curve) throw new Error(`${label}: asked for a ${curve} key, KMS returned a ${publicKey.curve} one`);
      return [label, { keyId, publicKey }];
    }),
  );
  kmsClient.destroy();
  const consensus = new Map(created);
  const kmsKeyIds = [...consensus.values()].map((k) => k.keyId);
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
    credentials: CREDENTIALS,
    consensus,
    env: {
      SIGNER_KMS_KEY_IDS: kmsKeyIds.join(','),
      SIGNER_TABLE_NAME: TABLE,
      SIGNER_AUTHORIZED_KEYS: options.authorizedKeys.join(','),
      SIGNER_ALLOWED_CHAIN_IDS: '',
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_KMS: kms.url,
      AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
    },
    signerOptions: { kmsUrl: kms.url, dynamoUrl: proxy.url, kmsKeyIds, tableName: TABLE, authorizedKeys: options.authorizedKeys, credentials: CREDENTIALS },
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
// The handler in-process: a fresh module instance of the committed bundle per handler, configured
// from `env` at import (what cli/serve.ts importHandler does for `serve`; that helper is private).

export interface InProcessEvent {
  version: '2.0';
  rawPath: string;
  rawQueryString: string;
  requestContext: { requestId: string; http: { method: string } };
  body?: string;
}
export type InProcessHandler = (event: InProcessEvent) => Promise<{ statusCode: number; body: string }>;

/** The `handler` export of a fresh instance of lambda/dist/handler.mjs (or `bundle`), configured from `env`. */
export async function inProcessHandler(env: Record<string, string>, bundle = BUNDLE): Promise<InProcessHandler> {
  const handler = await importHandler(bundle, env);
  return async (event) => {
    const response = await handler(event, { awsRequestId: event.requestContext.requestId });
    return { statusCode: response.statusCode, body: response.body ?? '' };
  };
}

// ---------------------------------------------------------------------------------------------
// An HTTP client with a bounded socket pool (fetch would open a socket per concurrent request).

export interface HttpAnswer {
  /** 0 when the connection failed (a killed process): the error message is in text. */
  status: number;
  body: unknown;
  text: string;
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
