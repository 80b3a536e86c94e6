// Public keys and key hashes of the three curves a KMS key or an authorized key may use.
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { PREFIX, b58decode, b58encode, type Prefix } from './base58.js';
import { equalBytes, toHex } from './bytes.js';
import { blake2b160 } from './hash.js';

export type Curve = 'ed25519' | 'secp256k1' | 'p256';

interface CurveInfo {
  readonly publicKey: Prefix;
  readonly pkh: Prefix;
  readonly signature: Prefix;
  /** The tag of the curve in Tezos binary encodings (public key hash, authentication bytes). */
  readonly tag: number;
}

export const CURVES: Record<Curve, CurveInfo> = {
  ed25519: { publicKey: PREFIX.edpk, pkh: PREFIX.tz1, signature: PREFIX.edsig, tag: 0 },
  secp256k1: { publicKey: PREFIX.sppk, pkh: PREFIX.tz2, signature: PREFIX.spsig1, tag: 1 },
  p256: { publicKey: PREFIX.p2pk, pkh: PREFIX.tz3, signature: PREFIX.p2sig, tag: 2 },
};

const ALL_CURVES = Object.keys(CURVES) as Curve[];

export interface PublicKey {
  readonly curve: Curve;
  /** The Tezos form: 32 bytes for Ed25519, the 33-byte compressed point otherwise. */
  readonly bytes: Uint8Array;
  /** What verification consumes: the raw key for Ed25519, the 65-byte uncompressed point otherwise
   * (decompressing costs a square root on every verification, so it is done once). */
  readonly verifyBytes: Uint8Array;
  readonly encoded: string;
  readonly pkh: KeyHash;
}

export interface KeyHash {
  readonly curve: Curve;
  readonly hash: Uint8Array;
  readonly encoded: string;
}

/** Builds a PublicKey from the Tezos bytes, checking that the point is on the curve. */
export function publicKeyFromBytes(curve: Curve, bytes: Uint8Array): PublicKey {
  let verifyBytes: Uint8Array;
  if (curve === 'ed25519') {
    if (bytes.length !== 32) throw new TypeError('an Ed25519 public key is 32 bytes');
    ed25519.Point.fromBytes(bytes);
    verifyBytes = bytes;
  } else {
    if (bytes.length !== 33) throw new TypeError('a compressed public key is 33 bytes');
    const point = (curve === 'secp256k1' ? secp256k1 : p256).Point.fromBytes(bytes);
    verifyBytes = point.toBytes(false);
  }
  const info = CURVES[curve];
  const hash = blake2b160(bytes);
  return {
    curve,
    bytes,
    verifyBytes,
    encoded: b58encode(info.publicKey, bytes),
    pkh: { curve, hash, encoded: b58encode(info.pkh, hash) },
  };
}

/** Parses `edpk…`, `sppk…` or `p2pk…`; throws a TypeError naming the problem. */
export function parsePublicKey(text: string): PublicKey {
  for (const curve of ALL_CURVES) {
    const bytes = b58decode(CURVES[curve].publicKey, text);
    if (bytes !== undefined) {
      try {
        return publicKeyFromBytes(curve, bytes);
      } catch {
        throw new TypeError(`${text.slice(0, 8)}… is not a point on ${curve}`);
      }
    }
  }
  // A secret key pasted where a public key belongs must not be repeated: this message is logged.
  if (/^(edsk|spsk|p2sk|edesk|spesk|p2esk)/.test(text)) {
    throw new TypeError(`a secret key (${text.slice(0, 4)}…) was given where a public key belongs; give its edpk/sppk/p2pk public key`);
  }
  throw new TypeError(`not an edpk, sppk or p2pk public key: ${JSON.stringify(text.slice(0, 60))}`);
}

/** Parses `tz1…`, `tz2…` or `tz3…`; undefined when it is none of them. */
export function parseKeyHash(text: string): KeyHash | undefined {
  for (const curve of ALL_CURVES) {
    const hash = b58decode(CURVES[curve].pkh, text);
    if (hash !== undefined) return { curve, hash, encoded: text };
  }
  return undefined;
}

export function sameKeyHash(a: KeyHash, b: KeyHash): boolean {
  return a.curve === b.curve && equalBytes(a.hash, b.hash);
}

// SubjectPublicKeyInfo as KMS returns it: SEQUENCE { SEQUENCE { OID ecPublicKey|Ed25519, [OID curve] },
// BIT STRING key }. The prefixes are fixed for each curve, so comparing them is a complete parse.
export const SPKI_PREFIX: Record<Curve, string> = {
  secp256k1: '3056301006072a8648ce3d020106052b8104000a034200',
  p256: '3059301306072a8648ce3d020106082a8648ce3d030107034200',
  ed25519: '302a300506032b6570032100',
};

/** Parses the DER SubjectPublicKeyInfo of a KMS key; throws when it is not one of the three curves. */
export function publicKeyFromSpki(der: Uint8Array): PublicKey {
  const hex = toHex(der);
  for (const curve of ALL_CURVES) {
    const prefix = SPKI_PREFIX[curve];
    if (!hex.startsWith(prefix)) continue;
    const raw = der.slice(prefix.length / 2);
    if (curve === 'ed25519') {
      if (raw.length !== 32) break;
      return publicKeyFromBytes(curve, raw);
    }
    if (raw.length !== 65 || raw[0] !== 0x04) break;
    const point = (curve === 'secp256k1' ? secp256k1 : p256).Point.fromBytes(raw);
    return publicKeyFromBytes(curve, point.toBytes(true));
  }
  throw new TypeError(`unsupported public key (${der.length} bytes of DER): expected secp256k1, P-256 or Ed25519`);
}
