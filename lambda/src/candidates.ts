// Which public keys could have made a signature, found at a cost that does not grow with the number
// of authorized ECDSA keys: a forged authentication must not make the signer verify it against every
// key. Only a candidate that is an authorized key is then verified (signature.ts).
//
// ECDSA: a Tezos signature is r ‖ s without a recovery id, so there are two candidates,
// Q = r⁻¹(s·R − e·G) for either point R of x-coordinate r. One variable-base multiplication
// A = r⁻¹s·R and one fixed-base one B = r⁻¹e·G give both: Q₀ = A − B and Q₁ = −A − B. R.x = r + n
// (possible only when r < p − n, about 2⁻¹²⁸ of honest signatures) is not tried: it would let a forger
// double the cost of every request by choosing a small r, for an honest signature refused once in 2¹²⁸.
//
// Ed25519 has no recovery (the challenge hashes the key): each key is checked, by OpenSSL, which does
// it several times faster than JavaScript; config.ts bounds the number of Ed25519 keys.
import { createECDH, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bigIntToBytes, bytesToBigInt, concatBytes, toHex } from './bytes.js';
import { SPKI_PREFIX, type Curve, type PublicKey } from './keys.js';

export type EcdsaCurve = Exclude<Curve, 'ed25519'>;
type EcdsaPoint = ReturnType<(typeof secp256k1 | typeof p256)['Point']['fromBytes']>;

/** The most Ed25519 authorized keys: each adds its check to every forged edsig/sig request. */
export const MAX_ED25519_AUTHORIZED_KEYS = 4;

const even = (x: Uint8Array) => concatBytes(Uint8Array.of(2), x);

/**
 * A = k·R for a point R of x = r, and B = m·G. secp256k1 multiplies in JavaScript (its endomorphism
 * halves the work). P-256 has none, and OpenSSL's ECDH multiplies there several times faster: ECDH
 * gives the x of k·R, the same for either R, and {A − B, −A − B} is the same pair for either sign of A.
 */
function multiply(curve: EcdsaCurve, r: Uint8Array, k: bigint, m: bigint): [EcdsaPoint, EcdsaPoint] {
  if (curve === 'secp256k1') return [secp256k1.Point.fromBytes(even(r)).multiplyUnsafe(k), secp256k1.Point.BASE.multiplyUnsafe(m)];
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(bigIntToBytes(k, 32));
  const A = p256.Point.fromBytes(even(ecdh.computeSecret(even(r))));
  // m = e/r is 0 only for a digest ≡ 0 mod n (2⁻²⁵⁶): ECDH refuses it, and the signature is refused.
  ecdh.setPrivateKey(bigIntToBytes(m, 32));
  return [A, p256.Point.fromBytes(ecdh.getPublicKey())];
}

/**
 * The compressed encodings (hex) of the keys for which `signature` (r ‖ s, 64 bytes) verifies over
 * the 32-byte `digest` with R.x = r; none when r or s is 0 or not below n, or r is no x-coordinate.
 * High S is not looked at here: every candidate accepted is verified.
 */
export function recoverCandidates(curve: EcdsaCurve, digest: Uint8Array, signature: Uint8Array): string[] {
  const { Fn, Fp } = (curve === 'secp256k1' ? secp256k1 : p256).Point;
  const rBytes = signature.subarray(0, 32);
  const r = bytesToBigInt(rBytes);
  const s = bytesToBigInt(signature.subarray(32));
  if (!Fn.isValidNot0(r) || !Fn.isValidNot0(s)) return [];
  const ir = Fn.inv(r);
  try {
    const [A, B] = multiply(curve, rBytes, Fn.mul(s, ir), Fn.mul(Fn.create(bytesToBigInt(digest)), ir));
    // A candidate at infinity encodes as x = 0, a key no one can authorize (verification refuses it).
    return [A.subtract(B), A.negate().subtract(B)].map((Q) => {
      const { x, y } = Q.toAffine();
      return (y & 1n ? '03' : '02') + toHex(Fp.toBytes(x));
    });
  } catch {
    return []; // r is not the x of a point
  }
}

const NATIVE = new WeakMap<PublicKey, KeyObject>();

/** The key as OpenSSL takes it: made at init (prepareVerification), as it costs about a check. */
export function nativeKey(key: PublicKey): KeyObject {
  let native = NATIVE.get(key);
  if (native === undefined) {
    native = createPublicKey({ key: Buffer.from(SPKI_PREFIX.ed25519 + toHex(key.bytes), 'hex'), format: 'der', type: 'spki' });
    NATIVE.set(key, native);
  }
  return native;
}

/** Whether OpenSSL accepts `signature` by the Ed25519 `key` over `digest` (then verified again). */
export function ed25519Candidate(key: PublicKey, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, digest, nativeKey(key), signature);
  } catch {
    return false;
  }
}
