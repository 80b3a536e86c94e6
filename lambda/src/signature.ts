// Signatures: KMS DER to the 64-byte Tezos form, low-S, base58 forms, and verification.
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { PREFIX, b58decode, b58encode } from './base58.js';
import { bigIntToBytes, bytesToBigInt, concatBytes } from './bytes.js';
import { nativeKey } from './candidates.js';
import { CURVES, type Curve, type PublicKey } from './keys.js';

const order = (curve: Exclude<Curve, 'ed25519'>) => (curve === 'secp256k1' ? secp256k1 : p256).Point.Fn.ORDER;

export class MalformedSignatureError extends Error {}

/**
 * Reads one DER INTEGER at `offset`: returns its unsigned value and the offset after it. Refused: another
 * tag, a length of 0 or above 33, bytes past the end, a negative or non-minimal value.
 */
function readDerInteger(der: Uint8Array, offset: number): [bigint, number] {
  const length = der[offset + 1] ?? 0;
  const end = offset + 2 + length;
  const body = der.subarray(offset + 2, end);
  if (der[offset] !== 0x02 || length === 0 || length > 33 || end > der.length || body[0]! & 0x80 || (length > 1 && body[0] === 0 && !(body[1]! & 0x80))) {
    throw new MalformedSignatureError('DER: bad INTEGER');
  }
  return [bytesToBigInt(body), end];
}

/**
 * Converts an ECDSA signature in DER (`SEQUENCE { INTEGER r, INTEGER s }`, as KMS returns it) to the
 * 64-byte `r || s` form with s in the lower half of the group order. Tezos rejects high-S secp256k1
 * signatures, and a P-256 signature has two valid forms; emitting only low-S gives each signature one
 * encoding.
 */
export function derToCompactLowS(curve: Exclude<Curve, 'ed25519'>, der: Uint8Array): Uint8Array {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2 || der[1]! >= 0x80) {
    throw new MalformedSignatureError('DER: bad SEQUENCE');
  }
  const [r, afterR] = readDerInteger(der, 2);
  const [s, afterS] = readDerInteger(der, afterR);
  if (afterS !== der.length) throw new MalformedSignatureError('DER: bad SEQUENCE');
  const n = order(curve);
  if (r <= 0n || r >= n || s <= 0n || s >= n) throw new MalformedSignatureError('DER: r or s out of range');
  const lowS = s > n >> 1n ? n - s : s;
  return concatBytes(bigIntToBytes(r, 32), bigIntToBytes(lowS, 32));
}

export function isHighS(curve: Exclude<Curve, 'ed25519'>, signature: Uint8Array): boolean {
  return bytesToBigInt(signature.subarray(32, 64)) > order(curve) >> 1n;
}

/** The curve-specific base58 form (`edsig…`, `spsig1…`, `p2sig…`), as octez answers. */
export function encodeSignature(curve: Curve, signature: Uint8Array): string {
  return b58encode(CURVES[curve].signature, signature);
}

export interface DecodedSignature {
  /** undefined for the generic `sig…` form, which does not say its curve. */
  readonly curve: Curve | undefined;
  readonly bytes: Uint8Array;
}

export function decodeSignature(text: string): DecodedSignature | undefined {
  for (const curve of Object.keys(CURVES) as Curve[]) {
    const bytes = b58decode(CURVES[curve].signature, text);
    if (bytes !== undefined) return { curve, bytes };
  }
  const bytes = b58decode(PREFIX.sig, text);
  return bytes === undefined ? undefined : { curve: undefined, bytes };
}

type EcdsaCurve = typeof secp256k1 | typeof p256;
type EcdsaPoint = ReturnType<EcdsaCurve['Point']['fromBytes']>;

/**
 * Public-key points, decompressed once, with a multiplication table built only once it pays for
 * itself: a table (window 6) costs about 20 ms of CPU to build on a full core (several times that at
 * 256 MB on Lambda) and saves about half a millisecond per verification, so it is built at the
 * TABLE_AFTER-th successful verification of a key, not during the cold start. Only successes count: a
 * forged authentication never builds a table, whatever it is verified against.
 */
interface VerifyingPoint {
  readonly point: EcdsaPoint;
  uses: number;
  table: boolean;
}
const POINTS = new WeakMap<PublicKey, VerifyingPoint>();
const WINDOW = 6;
export const TABLE_AFTER = 32;

/** The costly steps of authentication and verification, counted by tests: count, don't time. */
export type Work = 'recovery' | 'ed25519' | 'verify';
export type WorkMeter = (work: Work) => void;

function entryOf(curve: EcdsaCurve, key: PublicKey): VerifyingPoint {
  let entry = POINTS.get(key);
  if (entry === undefined) {
    entry = { point: curve.Point.fromBytes(key.verifyBytes), uses: 0, table: false };
    POINTS.set(key, entry);
  }
  return entry;
}

/**
 * At init, what finding the key from an authentication needs (candidates.ts): the native form of an
 * Ed25519 key, or the fixed-base table of an ECDSA curve (@noble/curves builds it at its first use,
 * once per curve). No request, authenticated or not, pays for these. A key's own table waits until
 * it pays for itself.
 */
export function prepareVerification(key: PublicKey): void {
  if (key.curve === 'ed25519') nativeKey(key);
  else (key.curve === 'secp256k1' ? secp256k1 : p256).Point.BASE.multiplyUnsafe(3n);
}

/** Whether the key's multiplication table is built (for tests and the bench). */
export function hasTable(key: PublicKey): boolean {
  return POINTS.get(key)?.table ?? false;
}

/** ECDSA verification (SEC 1, 4.1.4) of a 32-byte digest, the digest taken as the integer e mod n. */
function verifyEcdsa(curve: EcdsaCurve, key: PublicKey, digest: Uint8Array, signature: Uint8Array, lowS: boolean): boolean {
  const Fn = curve.Point.Fn;
  const r = bytesToBigInt(signature.subarray(0, 32));
  const s = bytesToBigInt(signature.subarray(32, 64));
  if (!Fn.isValidNot0(r) || !Fn.isValidNot0(s)) return false;
  if (lowS && s > Fn.ORDER >> 1n) return false;
  const e = Fn.create(bytesToBigInt(digest));
  const w = Fn.inv(s);
  const entry = entryOf(curve, key);
  const R = curve.Point.BASE.multiplyUnsafe(Fn.create(e * w)).add(entry.point.multiplyUnsafe(Fn.create(r * w)));
  if (R.is0() || Fn.create(R.toAffine().x) !== r) return false;
  if (!entry.table && ++entry.uses >= TABLE_AFTER) {
    entry.point.precompute(WINDOW, false);
    entry.table = true;
  }
  return true;
}

/**
 * Verifies a 64-byte signature of a 32-byte digest as Tezos does: Ed25519 strictly (RFC 8032, no
 * ZIP-215 leniency), secp256k1 rejecting high-S (as libsecp256k1 does), P-256 accepting both forms.
 */
export function verifySignature(key: PublicKey, digest: Uint8Array, signature: Uint8Array, meter?: WorkMeter): boolean {
  if (signature.length !== 64 || digest.length !== 32) return false;
  meter?.('verify');
  try {
    switch (key.curve) {
      case 'ed25519':
        return ed25519.verify(signature, digest, key.verifyBytes, { zip215: false });
      case 'secp256k1':
        return verifyEcdsa(secp256k1, key, digest, signature, true);
      case 'p256':
        return verifyEcdsa(p256, key, digest, signature, false);
    }
  } catch {
    return false;
  }
}
