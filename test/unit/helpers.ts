// Shared material of the unit tests: the vectors, byte surgery on them, DER built by hand, and KMS and
// the watermark table answered in memory with the same contracts as the real ports. Keys are signed
// with @noble/curves here, so that nothing outside lambda/src and the fixtures is trusted.
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { blake2b } from '@noble/hashes/blake2.js';
import bs58check from 'bs58check';
import vectorsJson from '../fixtures/consensus-operations.json' with { type: 'json' };
import cryptoJson from '../fixtures/crypto.json' with { type: 'json' };
import { authenticationBytes } from '../../lambda/src/auth.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { requestFromEvent, type HttpRequest } from '../../lambda/src/http.js';
import { parseKeyHash, publicKeyFromBytes, type Curve, type KeyHash, type PublicKey } from '../../lambda/src/keys.js';
import { loadConsensusKeys, type ConsensusKey, type KmsApi } from '../../lambda/src/kms.js';
import { Signer } from '../../lambda/src/signer.js';
import type { RequestRecord } from '../../lambda/src/telemetry.js';
import type { Watermark } from '../../lambda/src/watermark.js';
import type { WatermarkScope, WatermarkStore } from '../../lambda/src/watermark-store.js';

export interface Vector {
  readonly hex: string;
  readonly kind: 'block' | 'preattestation' | 'attestation';
  readonly level: number;
  readonly round: number;
  readonly chain_id_hex: string;
  readonly magic: string;
  readonly tag?: number;
}

export const VECTORS = vectorsJson.vectors as Record<string, Vector>;
export const VECTOR_NAMES = Object.keys(VECTORS);
export const CRYPTO = cryptoJson;

export function vector(name: string): Uint8Array {
  const v = VECTORS[name];
  if (v === undefined) throw new Error(`no vector ${name}`);
  return fromHex(v.hex);
}

export function vectorHex(name: string): string {
  return toHex(vector(name));
}

export function setInt32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setInt32(offset, value, false);
  return bytes;
}

export function cat(...parts: (Uint8Array | string | number[])[]): Uint8Array {
  return Uint8Array.from(
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'hex') : Buffer.from(Uint8Array.from(p))))),
  );
}

/** Independent base58check encoding (bs58check directly, not lambda/src/base58.ts). */
export function b58(prefixHex: string, payload: Uint8Array): string {
  return bs58check.encode(cat(prefixHex, payload));
}

export const blake160 = (b: Uint8Array) => blake2b(b, { dkLen: 20 });
export const blake256 = (b: Uint8Array) => blake2b(b, { dkLen: 32 });

// ---------------------------------------------------------------- DER by hand

function derLength(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** A minimal DER INTEGER of a non-negative value. */
export function derInteger(value: bigint): string {
  let h = value.toString(16);
  if (h.length % 2) h = '0' + h;
  if (parseInt(h.slice(0, 2), 16) & 0x80) h = '00' + h;
  return '02' + derLength(h.length / 2) + h;
}

export function derSequence(bodyHex: string): Uint8Array {
  return fromHex('30' + derLength(bodyHex.length / 2) + bodyHex);
}

export function der(r: bigint, s: bigint): Uint8Array {
  return derSequence(derInteger(r) + derInteger(s));
}

export const N = { secp256k1: secp256k1.Point.CURVE().n, p256: p256.Point.CURVE().n } as const;

export function big(bytes: Uint8Array): bigint {
  return BigInt('0x' + (toHex(bytes) || '0'));
}

// ---------------------------------------------------------------- keys

export interface TestKey {
  readonly curve: Curve;
  readonly secret: Uint8Array;
  /** Tezos public key bytes (32 for Ed25519, 33 compressed otherwise). */
  readonly publicBytes: Uint8Array;
}

const ECDSA = { secp256k1, p256 } as const;

export function testKey(curve: Curve, secret?: Uint8Array): TestKey {
  if (curve === 'ed25519') {
    const s = secret ?? ed25519.utils.randomSecretKey();
    return { curve, secret: s, publicBytes: ed25519.getPublicKey(s) };
  }
  const c = ECDSA[curve];
  const s = secret ?? c.utils.randomSecretKey();
  return { curve, secret: s, publicBytes: c.getPublicKey(s, true) };
}

export const CONSENSUS_TZ2 = testKey('secp256k1', fromHex(CRYPTO.keys.consensus_tz2.secret_hex));
export const CONSENSUS_TZ3 = testKey('p256', fromHex(CRYPTO.keys.consensus_tz3.secret_hex));
export const AUTHORIZED_TZ2 = testKey('secp256k1', fromHex(CRYPTO.keys.authorized_tz2.secret_hex));

const SPKI_PREFIX = {
  secp256k1: '3056301006072a8648ce3d020106052b8104000a034200',
  p256: '3059301306072a8648ce3d020106082a8648ce3d030107034200',
  ed25519: '302a300506032b6570032100',
} as const;

export function spkiOf(key: TestKey): Uint8Array {
  const raw = key.curve === 'ed25519' ? key.publicBytes : ECDSA[key.curve].getPublicKey(key.secret, false);
  return cat(SPKI_PREFIX[key.curve], raw);
}

const SIG_PREFIX = { ed25519: '09f5cd8612', secp256k1: '0d7365133f', p256: '36f02c34' } as const;
const PK_PREFIX = { ed25519: '0d0f25d9', secp256k1: '03fee256', p256: '03b28b7f' } as const;
const PKH_PREFIX = { ed25519: '06a19f', secp256k1: '06a1a1', p256: '06a1a4' } as const;

export const encodedPublicKey = (k: TestKey) => b58(PK_PREFIX[k.curve], k.publicBytes);
export const encodedPkh = (k: TestKey) => b58(PKH_PREFIX[k.curve], blake160(k.publicBytes));

/** 64-byte Tezos signature of a 32-byte digest: pure Ed25519, or ECDSA without prehash (low-S). */
export function signDigestWith(key: TestKey, digest: Uint8Array, options: { highS?: boolean } = {}): Uint8Array {
  if (key.curve === 'ed25519') return ed25519.sign(digest, key.secret);
  const c = ECDSA[key.curve];
  const compact = c.sign(digest, key.secret, { prehash: false, lowS: true, extraEntropy: true });
  if (!options.highS) return compact;
  const s = N[key.curve] - big(compact.subarray(32));
  return cat(compact.subarray(0, 32), s.toString(16).padStart(64, '0'));
}

/** The `authentication` query value an authorized key gives for `payload` sent to `signer`. */
export function authenticationFor(key: TestKey, signer: KeyHash | string, payload: Uint8Array, options: { generic?: boolean; highS?: boolean } = {}): string {
  const pkh = typeof signer === 'string' ? parseKeyHash(signer)! : signer;
  const signature = signDigestWith(key, blake256(authenticationBytes(pkh, payload)), options);
  return b58(options.generic ? '04822b' : SIG_PREFIX[key.curve], signature);
}

// ---------------------------------------------------------------- KMS in memory

export interface KmsCall {
  readonly keyId: string;
  readonly message: Uint8Array;
  readonly ed25519: boolean;
}

/**
 * KMS as the signer sees it: GetPublicKey answers SubjectPublicKeyInfo DER, Sign answers DER for ECDSA
 * (randomized, and high-S on every other call, as KMS may) or 64 bytes for Ed25519.
 */
export class TestKms implements KmsApi {
  readonly signCalls: KmsCall[] = [];
  getPublicKeyCalls = 0;
  /** Replaces the answer of Sign (after the call is counted). */
  answer: ((call: KmsCall, honest: () => Uint8Array) => Uint8Array | Promise<Uint8Array>) | undefined;
  highSEvery = 2;

  constructor(readonly keys: ReadonlyMap<string, TestKey>) {}

  async getPublicKey(keyId: string): Promise<Uint8Array> {
    this.getPublicKeyCalls++;
    const key = this.keys.get(keyId);
    if (key === undefined) throw Object.assign(new Error('key not found'), { name: 'NotFoundException' });
    return spkiOf(key);
  }

  async sign(keyId: string, message: Uint8Array, isEd25519: boolean): Promise<Uint8Array> {
    const call = { keyId, message: Uint8Array.from(message), ed25519: isEd25519 };
    this.signCalls.push(call);
    const key = this.keys.get(keyId);
    if (key === undefined) throw Object.assign(new Error('key not found'), { name: 'NotFoundException' });
    const honest = () => {
      if (isEd25519 !== (key.curve === 'ed25519')) throw Object.assign(new Error('wrong algorithm'), { name: 'InvalidKeyUsageException' });
      if (key.curve === 'ed25519') return ed25519.sign(message, key.secret);
      if (message.length !== 32) throw Object.assign(new Error('DIGEST must be 32 bytes'), { name: 'ValidationException' });
      const compact = signDigestWith(key, message, { highS: this.signCalls.length % this.highSEvery === 0 });
      return der(big(compact.subarray(0, 32)), big(compact.subarray(32)));
    };
    return this.answer ? this.answer(call, honest) : honest();
  }
}

// ---------------------------------------------------------------- the watermark table in memory

/** DynamoWatermarkStore's conditional write on a Map: applied only when strictly above the stored one. */
export class MemoryStore implements WatermarkStore {
  readonly items = new Map<string, Watermark & { scope: WatermarkScope }>();
  reads = 0;
  advances = 0;

  async read(key: string): Promise<Watermark | undefined> {
    this.reads++;
    const item = this.items.get(key);
    if (item === undefined) return undefined;
    const { level, round, digest, signature } = item;
    return { level, round, digest, signature };
  }

  async advance(key: string, next: Watermark, scope: WatermarkScope): Promise<boolean> {
    this.advances++;
    const stored = this.items.get(key);
    if (stored === undefined || next.level > stored.level || (next.level === stored.level && next.round > stored.round)) {
      this.items.set(key, { ...next, scope });
      return true;
    }
    return false;
  }
}

// ---------------------------------------------------------------- a Signer wired to both

export interface Rig {
  readonly signer: Signer;
  readonly kms: TestKms;
  readonly store: MemoryStore;
  /** Calls of deps.keys(). */
  readonly keyLoads: { count: number };
  readonly authorized: TestKey;
}

export function rig(
  options: { keys?: Record<string, TestKey>; authorized?: TestKey[]; chains?: string[]; store?: MemoryStore } = {},
): Rig {
  const keys = options.keys ?? { 'key-tz2': CONSENSUS_TZ2 };
  const kms = new TestKms(new Map(Object.entries(keys)));
  const store = options.store ?? new MemoryStore();
  const authorizedKeys = options.authorized ?? [AUTHORIZED_TZ2];
  const keyLoads = { count: 0 };
  // Loaded once and kept, as lambda/src/index.ts does.
  let loaded: Promise<ReadonlyMap<string, ConsensusKey>> | undefined;
  const signer = new Signer({
    authorizedKeys: authorizedKeys.map(publicKeyOf),
    allowedChainIds: options.chains ? new Set(options.chains) : undefined,
    keys: () => {
      keyLoads.count++;
      loaded ??= loadConsensusKeys(kms, Object.keys(keys)).then(
        (list) => new Map(list.map((k) => [k.publicKey.pkh.encoded, k])),
        (error: unknown) => {
          loaded = undefined; // a failure is not kept: the next request tries again
          throw error;
        },
      );
      return loaded;
    },
    kms,
    store,
  });
  return { signer, kms, store, keyLoads, authorized: authorizedKeys[0]! };
}

export function publicKeyOf(key: TestKey): PublicKey {
  return publicKeyFromBytes(key.curve, key.publicBytes);
}

export function httpRequest(method: string, path: string, options: { body?: string; query?: string } = {}): HttpRequest {
  return requestFromEvent(
    { version: '2.0', rawPath: path, rawQueryString: options.query ?? '', requestContext: { requestId: 'req-1', http: { method } }, body: options.body },
    'fallback',
  );
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly raw: string;
  readonly record: RequestRecord;
  readonly signature: string | undefined;
  readonly message: string;
}

export async function handle(signer: Signer, request: HttpRequest): Promise<Answer> {
  const { response, record } = await signer.handle(request);
  const body = JSON.parse(response.body) as unknown;
  const signature = (body as { signature?: string }).signature;
  const message = Array.isArray(body) ? String((body[0] as { msg?: string }).msg) : '';
  return { status: response.statusCode, body, raw: response.body, record, signature, message };
}

/** POST /keys/<pkh> with the payload as octez sends it, authenticated by `r.authorized` unless told. */
export async function post(
  r: Rig,
  payloadHex: string,
  options: { pkh?: string; auth?: string | null; body?: string; path?: string } = {},
): Promise<Answer> {
  const pkh = options.pkh ?? CRYPTO.keys.consensus_tz2.pkh;
  const auth = options.auth === null ? undefined : options.auth ?? authenticationFor(r.authorized, pkh, fromHex(payloadHex));
  return handle(
    r.signer,
    httpRequest('POST', options.path ?? `/keys/${pkh}`, {
      body: options.body ?? JSON.stringify(payloadHex),
      query: auth === undefined ? '' : `authentication=${auth}`,
    }),
  );
}

/** The octez error shape, with no stack trace or source path in it. */
export function expectCleanError(a: Answer): void {
  const body = a.body as { kind: string; id: string; msg: string }[];
  if (!Array.isArray(body) || body.length !== 1 || body[0]!.kind !== 'temporary' || body[0]!.id !== 'failure' || typeof body[0]!.msg !== 'string') {
    throw new Error(`not an octez error body: ${a.raw}`);
  }
  if (/\n\s+at |\.ts:\d|\.js:\d|node_modules|Error:/.test(a.raw)) throw new Error(`stack trace in body: ${a.raw}`);
}
