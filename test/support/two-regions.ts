// The local stand-in for a signer deployed in two regions: per region its own local KMS server holding
// the same key material (a KMS multi-Region key: same key id, same public key), its own signer (the
// committed bundle in its own `tezos-signer serve` process, behind its own HTTP front) and its own path to the table through a
// fault proxy; both paths lead to one dynalite, single-node and linearizable, which is what MRSC
// promises a conditional write. Each piece of a region can be cut at run time. `regionalWatermarks` is
// the mutant: each region gets its own dynalite, the fallback this feature must never allow.
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { importHandler } from '../../cli/serve.js';
import { publicKeyFromSpki, type PublicKey } from '../../lambda/src/keys.js';
import { ensureWatermarkTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamodb.js';
import { startFaultProxy, type FaultProxy, type FaultTable } from '../../local/fault-proxy.js';
import type { LambdaHandler } from '../../local/http-server.js';
import { startLocalKms, type LocalKms } from '../../local/kms-server.js';
import { listen } from '../../local/listen.js';
import { randomCredentials, type Credentials } from '../../local/sigv4.js';
import { BUNDLE } from './safety-stack.js';

const BIN = resolve(import.meta.dirname, '../../bin/tezos-signer.mjs');

export const TABLE = 'mr-watermarks';

/** What a region's signer answered: every signature counts, also one whose connection was already cut. */
export interface Emitted {
  readonly region: string;
  readonly path: string;
  readonly body: string;
  readonly status: number;
  readonly signature: string | undefined;
}

export type CutMode =
  /** Signers, KMS and the path to the table all refuse connections. */
  | 'hard'
  /** The table applies each write and the acknowledgement is lost: between KMS Sign and the write's ack. */
  | 'ack-lost'
  /** Writes reach the table 1.5 s late while the signers' connections are cut: requests in flight. */
  | 'late-writes'
  /** Nothing answers: reads hang past every timeout. */
  | 'hang';

export interface Region {
  readonly name: string;
  readonly url: string;
  readonly kms: LocalKms;
  readonly kmsPath: FaultProxy;
  readonly tablePath: FaultProxy;
  readonly cut: CutMode | undefined;
  cutOff(mode: CutMode): void;
  heal(): void;
}

export interface TwoRegions {
  readonly regions: readonly [Region, Region];
  readonly publicKey: PublicKey;
  readonly keyId: string;
  readonly emitted: Emitted[];
  /** A signer whose table is regional (no rewrite to STRONG) under SIGNER_MULTI_REGION=true. */
  regionalSigner(): Promise<LambdaHandler>;
  close(): Promise<void>;
}

/** The table's DescribeTable answer as an MRSC replica's reads; dynalite describes every table as regional. */
const AS_MRSC: FaultTable = {
  DescribeTable: {
    rewrite: ({ body }) => {
      const answer = JSON.parse(body.toString()) as { Table: Record<string, unknown> };
      answer.Table['MultiRegionConsistency'] = 'STRONG';
      return { body: JSON.stringify(answer) };
    },
  },
};

/** A region's signer: `tezos-signer serve` in its own process, as a Lambda in its own region. */
async function signerProcess(env: Record<string, string>, args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...args], { env: { PATH: process.env['PATH'] ?? '', NODE_NO_WARNINGS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`signer did not start in 20 s: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`signer exited with ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      if (!line.startsWith('{"url"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  lines.removeAllListeners('line');
  child.stdout!.resume();
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The region's endpoint in front of its signer process: records every signature the signer answers
 * (also one whose caller was cut off meanwhile), and can be cut: connections refused, in-flight ones
 * dropped while the signer runs them to the end, as a Lambda would.
 */
async function front(name: string, target: string, emitted: Emitted[]) {
  let cut = false;
  const sockets = new Set<Socket>();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(target);
      const upstream = httpRequest(
        { host: url.hostname, port: url.port, method: request.method, path: request.url, agent, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            const text = Buffer.concat(parts).toString();
            if (request.method === 'POST') {
              let signature: string | undefined;
              try {
                signature = (JSON.parse(text) as { signature?: string }).signature;
              } catch {
                signature = undefined;
              }
              emitted.push({ region: name, path: (request.url ?? '').split('?')[0]!, body: body.toString(), status: answer.statusCode ?? 0, signature });
            }
            if (response.destroyed) return;
            response.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' });
            response.end(text);
          });
        },
      );
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  });
  server.on('connection', (socket: Socket) => {
    if (cut) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const { url } = await listen(server, 0);
  return {
    url,
    setCut(value: boolean) {
      cut = value;
      if (value) for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function startTwoRegions(options: { authorizedKey: string; regionalWatermarks?: boolean }): Promise<TwoRegions> {
  const credentials: Credentials = randomCredentials();
  const dirs = [await mkdtemp(join(tmpdir(), 'mr-kms-a-')), await mkdtemp(join(tmpdir(), 'mr-kms-b-'))];
  const closers: (() => Promise<void>)[] = [];
  const emitted: Emitted[] = [];
  try {
    const tables: LocalDynamo[] = [];
    const tableCount = options.regionalWatermarks ? 2 : 1;
    for (let i = 0; i < tableCount; i++) {
      const dynamo = await startLocalDynamo({ credentials });
      closers.push(() => dynamo.close());
      const client = new DynamoDBClient({ region: 'us-east-1', credentials, endpoint: dynamo.url });
      await ensureWatermarkTable(client, TABLE);
      client.destroy();
      tables.push(dynamo);
    }

    // The key is created once; its file is copied to the second region's KMS: the same key material.
    const names = ['us-east-1', 'us-east-2'] as const;
    const kmsA = await startLocalKms({ dir: dirs[0]!, port: 0, region: names[0], credentials });
    closers.push(() => kmsA.close());
    const kmsClient = new KMSClient({ region: names[0], credentials, endpoint: kmsA.url });
    const keyId = (await kmsClient.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_SECG_P256K1', Description: 'multi-region' }))).KeyMetadata!.KeyId!;
    const publicKey = publicKeyFromSpki((await kmsClient.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey!);
    kmsClient.destroy();
    for (const file of await readdir(dirs[0]!)) await copyFile(join(dirs[0]!, file), join(dirs[1]!, file));
    const kmsB = await startLocalKms({ dir: dirs[1]!, port: 0, region: names[1], credentials });
    closers.push(() => kmsB.close());

    const regions: Region[] = [];
    for (const [i, kms] of [kmsA, kmsB].entries()) {
      const name = names[i]!;
      const kmsPath = await startFaultProxy({ target: kms.url, credentials });
      const tablePath = await startFaultProxy({ target: tables[Math.min(i, tables.length - 1)]!.url, credentials, faults: { ...AS_MRSC } });
      closers.push(() => kmsPath.close(), () => tablePath.close());
      const signer = await signerProcess(
        {
          SIGNER_MULTI_REGION: 'true',
          AWS_REGION: name,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_ENDPOINT_URL_KMS: kmsPath.url,
          AWS_ENDPOINT_URL_DYNAMODB: tablePath.url,
        },
        // The baker's stream uses a random chain: serve signs for mainnet only unless told otherwise.
        ['--table', TABLE, '--region', name, '--kms-key-id', keyId, '--authorized-key', options.authorizedKey, '--allowed-chain-id', 'any'],
      );
      closers.push(() => signer.stop());
      const f = await front(name, signer.url, emitted);
      closers.push(() => f.close());
      let cut: CutMode | undefined;
      regions.push({
        name,
        url: f.url,
        kms,
        kmsPath,
        tablePath,
        get cut() {
          return cut;
        },
        cutOff(mode) {
          cut = mode;
          tablePath.heal();
          Object.assign(tablePath.faults, AS_MRSC);
          kmsPath.heal();
          if (mode === 'hard') {
            f.setCut(true);
            kmsPath.faults['*'] = 'reset';
            tablePath.faults['GetItem'] = 'reset';
            tablePath.faults['PutItem'] = 'reset';
          } else if (mode === 'ack-lost') {
            tablePath.faults['PutItem'] = 'ambiguous';
          } else if (mode === 'late-writes') {
            tablePath.faults['PutItem'] = { delayMs: 1500, forward: true };
            f.setCut(true);
          } else {
            tablePath.faults['GetItem'] = { delayMs: 60_000, forward: false };
            kmsPath.faults['*'] = { delayMs: 60_000, forward: false };
          }
        },
        heal() {
          cut = undefined;
          f.setCut(false);
          kmsPath.heal();
          tablePath.heal();
          Object.assign(tablePath.faults, AS_MRSC);
        },
      });
    }
    return {
      regions: [regions[0]!, regions[1]!],
      publicKey,
      keyId,
      emitted,
      async regionalSigner() {
        // Straight to dynalite, which describes the table as regional.
        return importHandler(BUNDLE, {
          SIGNER_KMS_KEY_IDS: keyId,
          SIGNER_TABLE_NAME: TABLE,
          SIGNER_AUTHORIZED_KEYS: options.authorizedKey,
          SIGNER_ALLOWED_CHAIN_IDS: '',
          SIGNER_MULTI_REGION: 'true',
          AWS_REGION: names[0],
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_ENDPOINT_URL_KMS: kmsA.url,
          AWS_ENDPOINT_URL_DYNAMODB: tables[0]!.url,
        });
      },
      async close() {
        await Promise.allSettled(closers.reverse().map((c) => c()));
        await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
      },
    };
  } catch (error) {
    await Promise.allSettled(closers.reverse().map((c) => c()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    throw error;
  }
}
