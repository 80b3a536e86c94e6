// The `authentication` check (lambda/src/auth.ts): an authorized key signs
// blake2b-256(0x04 || 0x01 || pkh tag || pkh hash || payload). The vectors of crypto.json, and keys of
// the three curves signed in-test with @noble/curves.
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, test } from 'vitest';
import { authenticate, authenticationBytes } from '../../lambda/src/auth.js';
import { MAX_ED25519_AUTHORIZED_KEYS } from '../../lambda/src/candidates.js';
import { PREFIX, b58encode, type Prefix } from '../../lambda/src/base58.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { AuthenticationFailed, MalformedRequest, MissingAuthentication, SignerError } from '../../lambda/src/errors.js';
import { parseKeyHash, parsePublicKey, type KeyHash, type PublicKey } from '../../lambda/src/keys.js';
import { TABLE_AFTER, decodeSignature, hasTable, prepareVerification, type Work } from '../../lambda/src/signature.js';
import { AUTHORIZED_TZ2, CRYPTO, authenticationFor, b58, blake256, cat, encodedPkh, publicKeyOf, testKey, vector } from './helpers.js';

const payload = vector('signatory-integration/C3');
const { keys, authentication: auth } = CRYPTO;
const authorized = parsePublicKey(keys.authorized_tz2.public_key);
const tz2 = parseKeyHash(keys.consensus_tz2.pkh)!;
const tz3 = parseKeyHash(keys.consensus_tz3.pkh)!;

function failure(keys: readonly PublicKey[], signer: KeyHash, bytes: Uint8Array, value: string | undefined, meter?: (w: Work) => void): SignerError {
  try {
    authenticate(keys, signer, bytes, value, meter);
  } catch (error) {
    if (error instanceof SignerError) return error;
    throw error;
  }
  throw new Error('authenticated, a refusal was expected');
}

describe('the authenticated bytes', () => {
  test('0x04 0x01, the pkh tag, the 20-byte hash, then the payload', () => {
    const bytes2 = authenticationBytes(tz2, payload);
    expect(toHex(bytes2)).toBe(auth.for_consensus_tz2.to_sign_prefix_hex + toHex(payload));
    expect(toHex(authenticationBytes(tz3, payload))).toBe(auth.for_consensus_tz3.to_sign_prefix_hex + toHex(payload));
    expect(toHex(blake256(bytes2))).toBe(auth.for_consensus_tz2.digest);
    expect(toHex(blake256(authenticationBytes(tz3, payload)))).toBe(auth.for_consensus_tz3.digest);
    const tz1 = parseKeyHash(b58encode(PREFIX.tz1, new Uint8Array(20).fill(0xaa)))!;
    expect(toHex(authenticationBytes(tz1, Uint8Array.of(0x11)))).toBe('040100' + 'aa'.repeat(20) + '11');
  });
});

describe('the vectors', () => {
  test('each authenticates for its pkh, by the authorized key', () => {
    expect(authenticate([authorized], tz2, payload, auth.for_consensus_tz2.authentication)).toBe(authorized);
    expect(authenticate([authorized], tz3, payload, auth.for_consensus_tz3.authentication)).toBe(authorized);
  });

  test('and only for it: the other pkh, a generated pkh, another payload are refused (403)', () => {
    const other = parseKeyHash(encodedPkh(testKey('secp256k1')))!;
    expect(failure([authorized], tz3, payload, auth.for_consensus_tz2.authentication)).toBeInstanceOf(AuthenticationFailed);
    expect(failure([authorized], tz2, payload, auth.for_consensus_tz3.authentication)).toBeInstanceOf(AuthenticationFailed);
    expect(failure([authorized], other, payload, auth.for_consensus_tz2.authentication).status).toBe(403);
    // the same hash under another curve is another signer
    const sameHashTz3 = parseKeyHash(b58encode(PREFIX.tz3, tz2.hash))!;
    expect(failure([authorized], sameHashTz3, payload, auth.for_consensus_tz2.authentication).status).toBe(403);
    for (const at of [0, 1, 37, 45, payload.length - 1]) {
      const changed = payload.slice();
      changed[at]! ^= 1;
      expect(failure([authorized], tz2, changed, auth.for_consensus_tz2.authentication).status, `byte ${at}`).toBe(403);
    }
    expect(failure([authorized], tz2, cat(payload, '00'), auth.for_consensus_tz2.authentication).status).toBe(403);
    expect(failure([authorized], tz2, payload.subarray(0, 79), auth.for_consensus_tz2.authentication).status).toBe(403);
  });

  test('the high-S twin of a valid authentication is refused (403)', () => {
    const twin = auth.for_consensus_tz2.high_s_twin_must_fail;
    const e = failure([authorized], tz2, payload, twin);
    expect(e).toBeInstanceOf(AuthenticationFailed);
    expect(e.status).toBe(403);
    expect(e.message).toContain(keys.consensus_tz2.pkh);
    // the generic form of the twin too
    expect(failure([authorized], tz2, payload, b58encode(PREFIX.sig, decodeSignature(twin)!.bytes)).status).toBe(403);
  });

  test('the generic `sig…` form of a valid authentication is accepted', () => {
    const generic = b58encode(PREFIX.sig, decodeSignature(auth.for_consensus_tz2.authentication)!.bytes);
    expect(generic.startsWith('sig')).toBe(true);
    expect(authenticate([authorized], tz2, payload, generic)).toBe(authorized);
  });

  test('the bytes under another curve\'s prefix are refused: a p2sig is not checked against an sppk key', () => {
    const asP2sig = b58encode(PREFIX.p2sig, decodeSignature(auth.for_consensus_tz2.authentication)!.bytes);
    expect(failure([authorized], tz2, payload, asP2sig).status).toBe(403);
  });
});

describe('refusals by status', () => {
  test('missing: 401', () => {
    for (const value of [undefined, '']) {
      const e = failure([authorized], tz2, payload, value);
      expect(e).toBeInstanceOf(MissingAuthentication);
      expect(e.status).toBe(401);
    }
  });

  test('not a base58 signature: 400', () => {
    const good = auth.for_consensus_tz2.authentication;
    for (const value of ['garbage', 'spsig1 0OIl', good.slice(0, -1), good + '1', keys.authorized_tz2.public_key, keys.consensus_tz2.pkh, ' ' + good, '%20']) {
      const e = failure([authorized], tz2, payload, value);
      expect(e, value).toBeInstanceOf(MalformedRequest);
      expect(e.status).toBe(400);
    }
  });

  test('a well-formed signature no authorized key made: 403', () => {
    for (const bytes of [new Uint8Array(64), new Uint8Array(64).fill(0xff), Uint8Array.from({ length: 64 }, (_, i) => i * 3)]) {
      for (const prefix of [PREFIX.spsig1, PREFIX.sig, PREFIX.edsig, PREFIX.p2sig]) {
        const e = failure([authorized], tz2, payload, b58encode(prefix, bytes));
        expect(e).toBeInstanceOf(AuthenticationFailed);
        expect(e.status).toBe(403);
      }
    }
    // signed by a key that is not authorized
    const stranger = testKey('secp256k1');
    expect(failure([authorized], tz2, payload, authenticationFor(stranger, tz2, payload)).status).toBe(403);
    // no authorized key at all
    expect(failure([], tz2, payload, auth.for_consensus_tz2.authentication).status).toBe(403);
  });
});

describe('authorized keys of every curve (signed in-test)', () => {
  test.each(['ed25519', 'secp256k1', 'p256'] as const)('%s: typed and generic forms, for tz1, tz2 and tz3 signers', (curve) => {
    const key = testKey(curve);
    const pk = publicKeyOf(key);
    const list = [authorized, pk];
    // The generic form is taken when every authorized key is of one curve (here: the signing key's).
    const sameCurve = [publicKeyOf(testKey(curve)), pk];
    for (const signer of [tz2, tz3, parseKeyHash(encodedPkh(testKey('ed25519')))!]) {
      const typed = authenticationFor(key, signer, payload);
      expect(typed.slice(0, 5)).toBe({ ed25519: 'edsig', secp256k1: 'spsig', p256: 'p2sig' }[curve]);
      expect(authenticate(list, signer, payload, typed)).toBe(pk);
      expect(authenticate(sameCurve, signer, payload, typed)).toBe(pk);
      expect(authenticate(sameCurve, signer, payload, authenticationFor(key, signer, payload, { generic: true }))).toBe(pk);
      // bound to the signer and to the payload
      const other = signer === tz2 ? tz3 : tz2;
      expect(failure(list, other, payload, typed).status).toBe(403);
      expect(failure(list, signer, vector('signatory-integration/C2'), typed).status).toBe(403);
      // and to the key: not accepted when only the other key is authorized
      expect(failure([authorized], signer, payload, typed).status).toBe(403);
    }
  });

  test('high-S: refused from a secp256k1 key, accepted from a P-256 key (Tezos accepts both P-256 forms)', () => {
    const k1 = testKey('secp256k1');
    const k3 = testKey('p256');
    expect(failure([publicKeyOf(k1)], tz2, payload, authenticationFor(k1, tz2, payload, { highS: true })).status).toBe(403);
    expect(authenticate([publicKeyOf(k3)], tz2, payload, authenticationFor(k3, tz2, payload, { highS: true })).curve).toBe('p256');
  });

  test('with several authorized keys, the one that signed is returned', () => {
    const a = testKey('ed25519');
    const b = testKey('p256');
    const list = [authorized, publicKeyOf(a), publicKeyOf(b)];
    expect(authenticate(list, tz2, payload, authenticationFor(b, tz2, payload)).pkh.encoded).toBe(encodedPkh(b));
    expect(authenticate(list, tz2, payload, authenticationFor(a, tz2, payload)).pkh.encoded).toBe(encodedPkh(a));
    expect(authenticate(list, tz2, payload, authenticationFor(AUTHORIZED_TZ2, tz2, payload)).pkh.encoded).toBe(keys.authorized_tz2.pkh);
  });

  test('the vector authentications are the RFC 6979 signatures of the authorized key (recomputed with noble)', () => {
    for (const [signer, v] of [[tz2, auth.for_consensus_tz2], [tz3, auth.for_consensus_tz3]] as const) {
      const digest = blake256(authenticationBytes(signer, payload));
      expect(toHex(digest)).toBe(v.digest);
      const sig = secp256k1.sign(digest, fromHex(keys.authorized_tz2.secret_hex), { prehash: false, lowS: true });
      expect(b58('0d7365133f', sig)).toBe(v.authentication);
    }
  });
});

// Forged authentications (issue 16, point 1): the work is counted through the meter, not timed.
describe('a forged authentication costs the same whatever the number of authorized keys', () => {
  const bySigner = (curve: 'ed25519' | 'secp256k1' | 'p256', count: number) => Array.from({ length: count }, () => testKey(curve));
  /** Well-formed, and a point for every curve where one is needed, so that no shortcut refuses it early. */
  function forgery(prefix: Prefix, seed: number): string {
    const sig = new Uint8Array(64);
    for (let x = seed; ; x++) {
      const r = blake256(Uint8Array.of(x, x >> 8, seed));
      r[0]! &= 0x7f;
      try {
        secp256k1.Point.fromBytes(cat('02', r));
        p256.Point.fromBytes(cat('02', r));
        ed25519.Point.fromBytes(r);
      } catch {
        continue;
      }
      sig.set(r);
      sig.set(blake256(r), 32);
      sig[32] = 0x01; // s below n
      sig[63] = 0x01; // S below ℓ
      return b58encode(prefix, sig);
    }
  }
  function work(keys: readonly PublicKey[], authentication: string): Record<string, number> {
    const counts: Record<string, number> = {};
    const meter = (w: Work) => void (counts[w] = (counts[w] ?? 0) + 1);
    try {
      authenticate(keys, tz2, payload, authentication, meter);
    } catch (error) {
      expect(error).toBeInstanceOf(AuthenticationFailed);
      return counts;
    }
    throw new Error('a forgery was accepted');
  }

  test.each([
    ['spsig1', PREFIX.spsig1, 'secp256k1'],
    ['p2sig', PREFIX.p2sig, 'p256'],
  ] as const)('%s: one recovery and no verification, with 2 or 8 keys of the curve (and 1 P-256 key)', (_, prefix, curve) => {
    for (const count of curve === 'p256' ? [1, 2, 8] : [2, 8]) {
      const keys = [...bySigner(curve, count).map(publicKeyOf), publicKeyOf(testKey('ed25519'))];
      keys.forEach(prepareVerification);
      for (let seed = 0; seed < 3; seed++) expect(work(keys, forgery(prefix, seed)), `${count} keys`).toEqual({ recovery: 1 });
    }
  });

  test('edsig: one OpenSSL check per Ed25519 key (at most MAX_ED25519_AUTHORIZED_KEYS), no verification', () => {
    for (const count of [1, MAX_ED25519_AUTHORIZED_KEYS]) {
      const keys = [...bySigner('ed25519', count).map(publicKeyOf), ...bySigner('secp256k1', 3).map(publicKeyOf)];
      expect(work(keys, forgery(PREFIX.edsig, 1))).toEqual({ 'ed25519': count });
    }
  });

  test('the generic sig form with keys of one curve: that curve\'s work, as under its own prefix', () => {
    const cases = [
      [bySigner('secp256k1', 8), PREFIX.spsig1, { recovery: 1 }],
      [bySigner('secp256k1', 1), PREFIX.spsig1, { verify: 1 }],
      [bySigner('p256', 5), PREFIX.p2sig, { recovery: 1 }],
      [bySigner('ed25519', MAX_ED25519_AUTHORIZED_KEYS), PREFIX.edsig, { ed25519: MAX_ED25519_AUTHORIZED_KEYS }],
    ] as const;
    for (const [signers, prefix, expected] of cases) {
      const keys = signers.map(publicKeyOf);
      expect(work(keys, forgery(PREFIX.sig, 2))).toEqual(expected);
      expect(work(keys, forgery(prefix, 2))).toEqual(expected);
    }
  });

  test('the generic sig form with keys of several curves: refused with 400 before any curve work, a valid one too', () => {
    const signers = [testKey('ed25519'), testKey('secp256k1'), testKey('p256')];
    const lists = [
      [...bySigner('secp256k1', 8), ...bySigner('p256', 8), ...bySigner('ed25519', MAX_ED25519_AUTHORIZED_KEYS), ...signers],
      [signers[0]!, signers[1]!],
      [signers[1]!, signers[2]!],
      [signers[0]!, signers[2]!],
    ].map((list) => list.map(publicKeyOf));
    for (const keys of lists) {
      const counts: Record<string, number> = {};
      const e = failure(keys, tz2, payload, forgery(PREFIX.sig, 3), (w) => void (counts[w] = (counts[w] ?? 0) + 1));
      expect(e).toBeInstanceOf(MalformedRequest);
      expect(e.status).toBe(400);
      expect(e.message).toMatch(/authorized keys are of several curves; send edsig, spsig1 or p2sig/);
      expect(counts).toEqual({});
    }
    // A genuine authentication in the generic form is refused the same way; under its own prefix it passes.
    const keys = lists[0]!;
    for (const k of signers) {
      expect(failure(keys, tz2, payload, authenticationFor(k, tz2, payload, { generic: true })).status).toBe(400);
      expect(authenticate(keys, tz2, payload, authenticationFor(k, tz2, payload)).pkh.encoded).toBe(encodedPkh(k));
    }
  });

  test('no table is built by forged requests, however many; the signer key gets its table from authenticated ones', () => {
    const signer = testKey('secp256k1');
    const others = [...bySigner('secp256k1', 3), ...bySigner('p256', 2)].map(publicKeyOf);
    const keys = [publicKeyOf(signer), ...others];
    keys.forEach(prepareVerification);
    for (let seed = 0; seed < 2 * TABLE_AFTER; seed++) {
      for (const prefix of [PREFIX.spsig1, PREFIX.p2sig]) expect(() => authenticate(keys, tz2, payload, forgery(prefix, seed))).toThrow(AuthenticationFailed);
      expect(() => authenticate(keys, tz2, payload, forgery(PREFIX.sig, seed))).toThrow(MalformedRequest);
    }
    expect(keys.filter(hasTable)).toEqual([]);
    for (let i = 1; i <= TABLE_AFTER; i++) {
      const bytes = cat(payload, [i]);
      expect(authenticate(keys, tz2, bytes, authenticationFor(signer, tz2, bytes))).toBe(keys[0]);
      expect(hasTable(keys[0]!)).toBe(i === TABLE_AFTER);
    }
    expect(keys.filter(hasTable)).toEqual([keys[0]]);
  });

  test('one secp256k1 key: verified directly (cheaper than a recovery, with or without its table), one step per forgery', () => {
    const signer = testKey('secp256k1');
    const keys = [publicKeyOf(signer), ...bySigner('p256', 3).map(publicKeyOf)];
    expect(work(keys, forgery(PREFIX.spsig1, 4))).toEqual({ verify: 1 });
    for (let i = 0; i < TABLE_AFTER; i++) {
      const bytes = cat(payload, [i]);
      authenticate(keys, tz2, bytes, authenticationFor(signer, tz2, bytes));
    }
    expect(hasTable(keys[0]!)).toBe(true);
    expect(work(keys, forgery(PREFIX.spsig1, 5))).toEqual({ verify: 1 });
    expect(authenticate(keys, tz2, payload, authenticationFor(signer, tz2, payload))).toBe(keys[0]);
    // the high-S twin is still refused on this path
    expect(failure(keys, tz2, payload, authenticationFor(signer, tz2, payload, { highS: true })).status).toBe(403);
  });
});
