// Secret keys of the Tezos forms (spsk, p2sk, edsk), for the authorized key of the baker and for
// tests. The Lambda never holds a secret key; this file is not part of its bundle.
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { PREFIX, b58decode, b58encode } from '../lambda/src/base58.js';
import { blake2b256 } from '../lambda/src/hash.js';
import { publicKeyFromBytes, type Curve, type PublicKey } from '../lambda/src/keys.js';
import { authenticationBytes } from '../lambda/src/auth.js';
import { encodeSignature } from '../lambda/src/signature.js';
import type { KeyHash } from '../lambda/src/keys.js';

export interface SecretKey {
  readonly curve: Curve;
  /** 32 bytes: the scalar for ECDSA, the seed for Ed25519. */
  readonly secret: Uint8Array;
  readonly encoded: string;
  readonly publicKey: PublicKey;
}

const ECDSA = { secp256k1, p256 } as const;

export function secretKeyFromBytes(curve: Curve, secret: Uint8Array): SecretKey {
  if (secret.length !== 32) throw new TypeError('a secret key is 32 bytes');
  const publicBytes = curve === 'ed25519' ? ed25519.getPublicKey(secret) : ECDSA[curve].getPublicKey(secret, true);
  const prefix = curve === 'ed25519' ? PREFIX.edskSeed : curve === 'secp256k1' ? PREFIX.spsk : PREFIX.p2sk;
  return { curve, secret, encoded: b58encode(prefix, secret), publicKey: publicKeyFromBytes(curve, publicBytes) };
}

export function generateSecretKey(curve: Curve = 'secp256k1'): SecretKey {
  const secret = curve === 'ed25519' ? ed25519.utils.randomSecretKey() : ECDSA[curve].utils.randomSecretKey();
  return secretKeyFromBytes(curve, secret);
}

/** Parses `spsk…`, `p2sk…` or `edsk…` (32-byte seed or 64-byte expanded form), unencrypted. */
export function parseSecretKey(text: string): SecretKey {
  const value = text.startsWith('unencrypted:') ? text.slice('unencrypted:'.length) : text;
  const sp = b58decode(PREFIX.spsk, value);
  if (sp) return secretKeyFromBytes('secp256k1', sp);
  const p2 = b58decode(PREFIX.p2sk, value);
  if (p2) return secretKeyFromBytes('p256', p2);
  const seed = b58decode(PREFIX.edskSeed, value);
  if (seed) return secretKeyFromBytes('ed25519', seed);
  const expanded = b58decode(PREFIX.edsk, value);
  if (expanded) return secretKeyFromBytes('ed25519', expanded.slice(0, 32));
  throw new TypeError('not an unencrypted spsk, p2sk or edsk secret key');
}

/** Signs a 32-byte digest as Tezos does: Ed25519, or ECDSA without prehash, low-S, randomized k. */
export function signDigestWith(key: SecretKey, digest: Uint8Array): Uint8Array {
  if (key.curve === 'ed25519') return ed25519.sign(digest, key.secret);
  return ECDSA[key.curve].sign(digest, key.secret, { prehash: false, lowS: true, extraEntropy: true });
}

/** The `authentication` query value for a request to `signer` for `payload`. */
export function authenticationFor(key: SecretKey, signer: KeyHash, payload: Uint8Array): string {
  return encodeSignature(key.curve, signDigestWith(key, blake2b256(authenticationBytes(signer, payload))));
}
