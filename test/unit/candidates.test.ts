// Finding the key from the signature (lambda/src/candidates.ts): ECDSA recovery without a recovery id,
// and OpenSSL's Ed25519 check, must find the signing key whenever the signature verifies, and find only
// keys the signature verifies with: random valid, high-S, bit-flipped and garbage signatures.
import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, test } from 'vitest';
import { bigIntToBytes, concatBytes, toHex } from '../../lambda/src/bytes.js';
import { ed25519Candidate, recoverCandidates } from '../../lambda/src/candidates.js';
import { publicKeyFromBytes } from '../../lambda/src/keys.js';
import { verifySignature } from '../../lambda/src/signature.js';
import { big } from './helpers.js';

const mutation = fc.record({
  digest: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  highS: fc.boolean(),
  flip: fc.option(fc.nat(511), { freq: 2 }),
  garbage: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: fc.uint8Array({ minLength: 64, maxLength: 64 }), weight: 1 }),
});

describe.each([
  { name: 'secp256k1' as const, impl: secp256k1 },
  { name: 'p256' as const, impl: p256 },
])('$name: recovery agrees with verification', ({ name, impl }) => {
  const n = impl.Point.CURVE().n;
  const secret = impl.utils.randomSecretKey();
  const key = publicKeyFromBytes(name, impl.getPublicKey(secret, true));
  // Verification without the low-S rule: recovery does not look at s's half (authenticate verifies).
  const verifies = (sig: Uint8Array, d: Uint8Array, pk: Uint8Array) => {
    try {
      return impl.verify(sig, d, pk, { prehash: false, lowS: false });
    } catch {
      return false;
    }
  };

  test('the signing key is a candidate exactly when the signature verifies; every candidate verifies', () => {
    let found = 0;
    fc.assert(
      fc.property(mutation, ({ digest: d, highS, flip, garbage }) => {
        let sig: Uint8Array = garbage ?? impl.sign(d, secret, { prehash: false, lowS: true });
        if (highS) sig = concatBytes(sig.subarray(0, 32), bigIntToBytes((n - big(sig.subarray(32))) % 2n ** 256n, 32));
        if (flip !== null) sig[flip >> 3] = sig[flip >> 3]! ^ (1 << (flip & 7));
        const candidates = recoverCandidates(name, d, sig);
        expect(candidates.length).toBeLessThanOrEqual(2);
        const isCandidate = candidates.includes(toHex(key.bytes));
        if (isCandidate) found++;
        expect(isCandidate).toBe(verifies(sig, d, key.bytes));
        // the signature verifies with each candidate: recovery finds no key that did not sign
        for (const c of candidates) expect(verifies(sig, d, Uint8Array.from(Buffer.from(c, 'hex')))).toBe(true);
        // and the signer's own verification (with its low-S rule) accepts only candidates
        if (verifySignature(key, d, sig)) expect(isCandidate).toBe(true);
      }),
      { numRuns: 100 },
    );
    expect(found).toBeGreaterThan(20); // the property saw real signatures, not only refusals
  });

  test('r or s of 0 or not below n: no candidate', () => {
    const d = new Uint8Array(32).fill(7);
    const good = impl.sign(d, secret, { prehash: false, lowS: true });
    expect(recoverCandidates(name, d, good)).toContain(toHex(key.bytes));
    for (const [r, s] of [[0n, 1n], [1n, 0n], [n, 1n], [big(good.subarray(0, 32)), n], [big(good.subarray(0, 32)) + n, big(good.subarray(32))]] as const) {
      if (r >= 2n ** 256n) continue;
      expect(recoverCandidates(name, d, concatBytes(bigIntToBytes(r, 32), bigIntToBytes(s, 32)))).toEqual([]);
    }
  });

  test('R.x ≥ n is not tried: such a valid signature is refused (about 2⁻¹²⁸ of honest signatures)', () => {
    // A valid signature with R.x = n + t for a chosen R: its key is Q = r⁻¹(s·R − e·G), r = t.
    const { Point } = impl;
    const { Fn } = Point;
    let R;
    for (let t = 1n; R === undefined; t++) {
      try {
        R = Point.fromBytes(concatBytes(Uint8Array.of(2), bigIntToBytes(n + t, 32)));
      } catch {
        // not an x-coordinate
      }
    }
    const r = R.toAffine().x - n;
    const s = 12345n;
    const d = new Uint8Array(32).fill(9);
    const e = Fn.create(big(d));
    const Q = R.multiply(s).subtract(Point.BASE.multiply(e)).multiply(Fn.inv(r));
    const pk = publicKeyFromBytes(name, Q.toBytes(true));
    const sig = concatBytes(bigIntToBytes(r, 32), bigIntToBytes(s, 32));
    expect(verifySignature(pk, d, sig)).toBe(true);
    expect(recoverCandidates(name, d, sig)).not.toContain(toHex(pk.bytes));
  });
});

describe('Ed25519: OpenSSL\'s check agrees with the strict verification', () => {
  const secret = ed25519.utils.randomSecretKey();
  const key = publicKeyFromBytes('ed25519', ed25519.getPublicKey(secret));

  test('valid, bit-flipped and garbage signatures', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutation, ({ digest: d, flip, garbage }) => {
        const sig = garbage ?? ed25519.sign(d, secret);
        if (flip !== null) sig[flip >> 3] = sig[flip >> 3]! ^ (1 << (flip & 7));
        const ours = ed25519Candidate(key, d, sig);
        if (ours) accepted++;
        expect(ours).toBe(verifySignature(key, d, sig));
      }),
      { numRuns: 100 },
    );
    expect(accepted).toBeGreaterThan(20);
  });

  test('S not below the group order is refused by both (malleability)', () => {
    const d = new Uint8Array(32).fill(3);
    const sig = ed25519.sign(d, secret);
    const L = ed25519.Point.CURVE().n;
    const S = big(Uint8Array.from(sig.subarray(32)).reverse()) + L;
    const malleated = concatBytes(sig.subarray(0, 32), bigIntToBytes(S, 32).reverse());
    expect(ed25519Candidate(key, d, malleated)).toBe(false);
    expect(verifySignature(key, d, malleated)).toBe(false);
  });
});
