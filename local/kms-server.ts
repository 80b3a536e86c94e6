// A local KMS endpoint speaking the KMS JSON protocol (POST /, X-Amz-Target: TrentService.<Op>) for
// the operations the signer and its tools use: CreateKey, GetPublicKey, Sign, ListKeys, DescribeKey.
// Keys are files (one JSON file per key, mode 0600). Like the real service, ECDSA signatures are
// randomized and may be high-S: the signer must normalise them itself. Faults can be switched on at
// run time for the safety suites.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { fromHex, toHex } from '../lambda/src/bytes.js';
import { listen } from './listen.js';
import { SeenSignatures } from './seen-signatures.js';
import { checkSigned, hostOf, type Credentials } from './sigv4.js';

export type KeySpec = 'ECC_SECG_P256K1' | 'ECC_NIST_P256' | 'ECC_NIST_EDWARDS25519';

/** A fault for the next calls of an operation; `times` limits how many (unlimited when absent). */
export type KmsFault =
  | { kind: 'error' } // KMSInternalException, HTTP 500
  | { kind: 'throttle' } // ThrottlingException, HTTP 400
  | { kind: 'malformed-der' } // Sign answers bytes that are not a DER signature
  | { kind: 'wrong-key' } // Sign answers a valid signature by another key
  | { kind: 'delay'; ms: number }; // answers late (to provoke client timeouts)

export interface KmsFaults {
  sign?: KmsFault & { times?: number };
  getPublicKey?: KmsFault & { times?: number };
}

export interface KmsStats {
  createKey: number;
  getPublicKey: number;
  sign: number;
  listKeys: number;
  describeKey: number;
  faultsInjected: number;
}

export interface LocalKms {
  readonly url: string;
  readonly port: number;
  readonly faults: KmsFaults;
  readonly stats: KmsStats;
  close(): Promise<void>;
}

interface StoredKey {
  KeyId: string;
  KeySpec: KeySpec;
  PrivateKey: string;
  CreationDate: string;
  Description: string;
}

const SPKI_PREFIX: Record<KeySpec, string> = {
  ECC_SECG_P256K1: '3056301006072a8648ce3d020106052b8104000a034200',
  ECC_NIST_P256: '3059301306072a8648ce3d020106082a8648ce3d030107034200',
  ECC_NIST_EDWARDS25519: '302a300506032b6570032100',
};

const ALGORITHMS: Record<KeySpec, string[]> = {
  ECC_SECG_P256K1: ['ECDSA_SHA_256'],
  ECC_NIST_P256: ['ECDSA_SHA_256'],
  ECC_NIST_EDWARDS25519: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
};

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function publicKeyOf(key: StoredKey): Uint8Array {
  const secret = fromHex(key.PrivateKey);
  const raw =
    key.KeySpec === 'ECC_NIST_EDWARDS25519'
      ? ed25519.getPublicKey(secret)
      : (key.KeySpec === 'ECC_SECG_P256K1' ? secp256k1 : p256).getPublicKey(secret, false);
  return Uint8Array.from(Buffer.concat([Buffer.from(SPKI_PREFIX[key.KeySpec], 'hex'), raw]));
}

function newSecret(spec: KeySpec): Uint8Array {
  if (spec === 'ECC_NIST_EDWARDS25519') return ed25519.utils.randomSecretKey();
  return (spec === 'ECC_SECG_P256K1' ? secp256k1 : p256).utils.randomSecretKey();
}

/**
 * The largest request body read, after the signature over the headers has been checked: above the
 * largest request KMS itself accepts for these operations (a Sign of a 4,096-byte RAW message, base64
 * in JSON, with a 2,048-character key id: 7,592 bytes; the signer's own Sign of a 32-byte digest is
 * about 200), measured in test/local/sigv4.test.ts.
 */
export const KMS_MAX_REQUEST_BYTES = 8 * 1024;

export async function startLocalKms(options: {
  dir: string;
  /** Every request must be signed (SigV4) with these; see local/sigv4.ts. */
  credentials: Credentials;
  port?: number;
  host?: string;
  region?: string;
  faults?: KmsFaults;
}): Promise<LocalKms> {
  const region = options.region ?? 'us-east-1';
  const account = '000000000000';
  const arn = (id: string) => `arn:aws:kms:${region}:${account}:key/${id}`;
  const faults: KmsFaults = options.faults ?? {};
  const stats: KmsStats = { createKey: 0, getPublicKey: 0, sign: 0, listKeys: 0, describeKey: 0, faultsInjected: 0 };
  const keys = new Map<string, StoredKey>();
  await mkdir(options.dir, { recursive: true, mode: 0o700 });

  const fileOf = (id: string) => join(options.dir, `${id}.json`);
  async function load(id: string): Promise<StoredKey | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined; // key ids are UUIDs, as in KMS
    try {
      const key = JSON.parse(await readFile(fileOf(id), 'utf8')) as StoredKey;
      keys.set(id, key);
      return key;
    } catch {
      return undefined;
    }
  }
  for (const name of await readdir(options.dir)) if (name.endsWith('.json')) await load(name.slice(0, -5));

  async function find(keyId: unknown): Promise<StoredKey> {
    if (typeof keyId !== 'string' || keyId === '') throw new KmsError('ValidationException', 'KeyId is required');
    const id = keyId.startsWith('arn:') ? keyId.slice(keyId.lastIndexOf('/') + 1) : keyId;
    const key = keys.get(id) ?? (await load(id));
    if (key === undefined) throw new KmsError('NotFoundException', `Key '${arn(id)}' does not exist`);
    return key;
  }

  const metadata = (key: StoredKey) => ({
    AWSAccountId: account,
    KeyId: key.KeyId,
    Arn: arn(key.KeyId),
    CreationDate: Date.parse(key.CreationDate) / 1000,
    Enabled: true,
    Description: key.Description,
    KeyUsage: 'SIGN_VERIFY',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: key.KeySpec,
    CustomerMasterKeySpec: key.KeySpec,
    SigningAlgorithms: ALGORITHMS[key.KeySpec],
  });

  /** Applies the configured fault of an operation; returns it so the caller can act on it. */
  async function fault(which: keyof KmsFaults): Promise<KmsFault | undefined> {
    const current = faults[which];
    if (current === undefined) return undefined;
    if (current.times !== undefined) {
      if (current.times <= 0) return undefined;
      current.times -= 1;
    }
    stats.faultsInjected += 1;
    if (current.kind === 'error') throw new KmsError('KMSInternalException', 'injected fault: internal error', 500);
    if (current.kind === 'throttle') throw new KmsError('ThrottlingException', 'Rate exceeded (injected fault)');
    if (current.kind === 'delay') await new Promise((r) => setTimeout(r, current.ms));
    return current;
  }

  const operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    async CreateKey(input) {
      stats.createKey += 1;
      const spec = (input['KeySpec'] ?? 'SYMMETRIC_DEFAULT') as string;
      if (input['KeyUsage'] !== 'SIGN_VERIFY' || !(spec in SPKI_PREFIX)) {
        throw new KmsError('UnsupportedOperationException', `this local KMS creates only SIGN_VERIFY keys of ${Object.keys(SPKI_PREFIX).join(', ')}`);
      }
      const key: StoredKey = {
        KeyId: randomUUID(),
        KeySpec: spec as KeySpec,
        PrivateKey: toHex(newSecret(spec as KeySpec)),
        CreationDate: new Date().toISOString(),
        Description: typeof input['Description'] === 'string' ? input['Description'] : '',
      };
      const temp = `${fileOf(key.KeyId)}.tmp`;
      await writeFile(temp, JSON.stringify(key, null, 2) + '\n', { mode: 0o600 });
      await rename(temp, fileOf(key.KeyId));
      keys.set(key.KeyId, key);
      return { KeyMetadata: metadata(key) };
    },
    async GetPublicKey(input) {
      stats.getPublicKey += 1;
      await fault('getPublicKey');
      const key = await find(input['KeyId']);
      return {
        KeyId: arn(key.KeyId),
        PublicKey: Buffer.from(publicKeyOf(key)).toString('base64'),
        KeySpec: key.KeySpec,
        CustomerMasterKeySpec: key.KeySpec,
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: ALGORITHMS[key.KeySpec],
      };
    },
    async Sign(input) {
      stats.sign += 1;
      const key = await find(input['KeyId']);
      const algorithm = input['SigningAlgorithm'];
      const messageType = input['MessageType'] ?? 'RAW';
      if (typeof algorithm !== 'string' || !ALGORITHMS[key.KeySpec].includes(algorithm)) {
        throw new KmsError('InvalidKeyUsageException', `SigningAlgorithm ${String(algorithm)} is not valid for a ${key.KeySpec} key`);
      }
      if (typeof input['Message'] !== 'string') throw new KmsError('ValidationException', 'Message is required');
      let message = Uint8Array.from(Buffer.from(input['Message'], 'base64'));
      const secret = fromHex(key.PrivateKey);
      const applied = await fault('sign');
      let signature: Uint8Array;
      if (key.KeySpec === 'ECC_NIST_EDWARDS25519') {
        if (algorithm === 'ED25519_SHA_512' && messageType !== 'RAW') {
          throw new KmsError('ValidationException', 'ED25519_SHA_512 signs RAW messages only');
        }
        if (algorithm === 'ED25519_PH_SHA_512') throw new KmsError('UnsupportedOperationException', 'ED25519_PH_SHA_512 is not implemented by this local KMS');
        signature = ed25519.sign(message, applied?.kind === 'wrong-key' ? ed25519.utils.randomSecretKey() : secret);
      } else {
        if (messageType === 'DIGEST') {
          if (message.length !== 32) throw new KmsError('ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
        } else if (messageType === 'RAW') {
          message = Uint8Array.from((await import('node:crypto')).createHash('sha256').update(message).digest());
        } else {
          throw new KmsError('ValidationException', `MessageType ${String(messageType)} is not supported`);
        }
        const curve = key.KeySpec === 'ECC_SECG_P256K1' ? secp256k1 : p256;
        const signer = applied?.kind === 'wrong-key' ? curve.utils.randomSecretKey() : secret;
        // Randomized k and no low-S normalisation, as KMS does.
        signature = curve.sign(message, signer, { prehash: false, lowS: false, extraEntropy: true, format: 'der' });
      }
      if (applied?.kind === 'malformed-der') signature = Uint8Array.from([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01]);
      return { KeyId: arn(key.KeyId), Signature: Buffer.from(signature).toString('base64'), SigningAlgorithm: algorithm };
    },
    async ListKeys() {
      stats.listKeys += 1;
      const ids = [...keys.keys()].sort();
      return { Keys: ids.map((id) => ({ KeyId: id, KeyArn: arn(id) })), Truncated: false };
    },
    async DescribeKey(input) {
      stats.describeKey += 1;
      return { KeyMetadata: metadata(await find(input['KeyId'])) };
    },
  };

  const reply = (response: ServerResponse, status: number, body: unknown) => {
    if (response.destroyed) return;
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
    response.end(text);
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refused = await checkSigned(request, { credentials: options.credentials, service: 'kms', expectedHost, maxBodyBytes: KMS_MAX_REQUEST_BYTES, seen });
    if ('status' in refused) {
      // The unread rest of a refused body is not drained: the connection closes after the answer.
      response.setHeader('connection', 'close');
      return reply(response, refused.status, { __type: refused.type, message: refused.message });
    }
    const chunks = [refused.body];
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('TrentService.') ? operations[target.slice('TrentService.'.length)] : undefined;
    try {
      if (request.method !== 'POST' || operation === undefined) throw new KmsError('UnknownOperationException', `unsupported operation ${target || '(none)'}`);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new KmsError('SerializationException', 'the request body is not JSON');
      }
      reply(response, 200, await operation(input));
    } catch (error) {
      if (error instanceof KmsError) reply(response, error.status, { __type: error.type, message: error.message });
      else reply(response, 500, { __type: 'KMSInternalException', message: error instanceof Error ? error.message : 'internal error' });
    }
  }

  let expectedHost = '';
  const seen = new SeenSignatures();
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => void handle(request, response));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const { port, url } = await listen(server, options.port, options.host);
  expectedHost = hostOf(options.host ?? '127.0.0.1', port);
  return {
    url,
    port,
    faults,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
