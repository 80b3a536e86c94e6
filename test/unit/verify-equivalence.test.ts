// The signer verifies ECDSA with its own short routine over precomputed key tables (for speed); it
// must accept exactly what noble's reference verify accepts, on valid, high-S, tampered and garbage
// signatures alike.
import fc from 'fast-check';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, test } from 'vitest';
import { bigIntToBytes, concatBytes } from '../../lambda/src/bytes.js';
import { publicKeyFromBytes } from '../../lambda/src/keys.js';
import { verifySignature } from '../../lambda/src/signature.js';

const CURVES = [
  { name: 'secp256k1' as const, impl: secp256k1, lowS: true },
  { name: 'p256' as const, impl: p256, lowS: false },
];

describe.each(CURVES)('$name verification matches noble', ({ name, impl, lowS }) => {
  const n = impl.Point.CURVE().n;
  const secret = impl.utils.randomSecretKey();
  const key = publicKeyFromBytes(name, impl.getPublicKey(secret, true));
  const reference = (sig: Uint8Array, digest: Uint8Array) => {
    try {
      return impl.verify(sig, digest, key.verifyBytes, { prehash: false, lowS });
    } catch {
      return false;
    }
  };
  const mutation = fc.record({ digest: fc.uint8Array({ minLength: 32, maxLength: 32 }), highS: fc.boolean(), flip: fc.option(fc.nat(511), { freq: 2 }) });

  test('valid, high-S and bit-flipped signatures', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutation, ({ digest, highS, flip }) => {
        let sig: Uint8Array = impl.sign(digest, secret, { prehash: false, lowS: true });
        if (highS) {
          const s = BigInt('0x' + Buffer.from(sig.subarray(32)).toString('hex'));
          sig = concatBytes(sig.subarray(0, 32), bigIntToBytes(n - s, 32));
        }
        if (flip !== null) sig[flip >> 3] = sig[flip >> 3]! ^ (1 << (flip & 7));
        const ours = verifySignature(key, digest, sig);
        if (ours) accepted++;
        expect(ours).toBe(reference(sig, digest));
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(30); // the property saw real acceptances, not only refusals
  });

  test('edge scalars: r or s of 0, n, n-1, and garbage', () => {
    const digest = new Uint8Array(32).fill(7);
    for (const r of [0n, 1n, n - 1n, n, n + 1n]) {
      for (const s of [0n, 1n, n >> 1n, (n >> 1n) + 1n, n - 1n, n]) {
        const sig = concatBytes(bigIntToBytes(r % 2n ** 256n, 32), bigIntToBytes(s % 2n ** 256n, 32));
        expect(verifySignature(key, digest, sig)).toBe(reference(sig, digest));
      }
    }
    fc.assert(fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (sig) => verifySignature(key, digest, sig) === reference(sig, digest)));
  });
});
