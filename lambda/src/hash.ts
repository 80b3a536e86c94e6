import { blake2b } from '@noble/hashes/blake2.js';

/** blake2b-256: what Tezos signs, and the digest a signer sends to KMS. */
export function blake2b256(data: Uint8Array): Uint8Array {
  return blake2b(data, { dkLen: 32 });
}

/** blake2b-160: the hash behind tz1/tz2/tz3 addresses. */
export function blake2b160(data: Uint8Array): Uint8Array {
  return blake2b(data, { dkLen: 20 });
}
