// Public keys and key hashes (lambda/src/keys.ts) against the shared vectors, with every derivation
// recomputed here from the secret keys (noble) and base58check (bs58check), not through lambda/src.
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { Prefix, prefix as taquitoPrefix, prefixLength as taquitoLength } from '@taquito/utils';
import { describe, expect, test } from 'vitest';
import { PREFIX, b58encode } from '../../lambda/src/base58.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { parseKeyHash, parsePublicKey, publicKeyFromBytes, publicKeyFromSpki, sameKeyHash } from '../../lambda/src/keys.js';
import { verifySignature } from '../../lambda/src/signature.js';
import { CRYPTO, b58, blake160, blake256, cat, encodedPkh, encodedPublicKey, spkiOf, testKey } from './helpers.js';

const { keys } = CRYPTO;
const NAMED = [
  ['authorized_tz2', 'secp256k1', '03fee256', '06a1a1', secp256k1],
  ['consensus_tz2', 'secp256k1', '03fee256', '06a1a1', secp256k1],
  ['consensus_tz3', 'p256', '03b28b7f', '06a1a4', p256],
] as const;

describe('the keys of crypto.json', () => {
  test.each(NAMED)('%s: sppk/p2pk parse to the curve, the bytes and the pkh', (name, curve, pkPrefix, pkhPrefix, impl) => {
    const k = keys[name];
    const key = parsePublicKey(k.public_key);
    expect(key.curve).toBe(curve);
    expect(key.encoded).toBe(k.public_key);
    expect(key.pkh.encoded).toBe(k.pkh);
    expect(key.pkh.curve).toBe(curve);
    // recomputed: the compressed point of the secret, its blake2b-160, base58check with the prefixes
    const point = impl.getPublicKey(fromHex(k.secret_hex), true);
    expect(toHex(key.bytes)).toBe(toHex(point));
    expect(b58(pkPrefix, point)).toBe(k.public_key);
    expect(b58(pkhPrefix, blake160(point))).toBe(k.pkh);
    expect(toHex(key.pkh.hash)).toBe(toHex(blake160(point)));
    // verification bytes: the uncompressed point
    expect(toHex(key.verifyBytes)).toBe(toHex(impl.getPublicKey(fromHex(k.secret_hex), false)));
  });

  test.each(NAMED)('%s: the pkh parses back to the same curve and hash', (name, curve) => {
    const k = keys[name];
    const pkh = parseKeyHash(k.pkh)!;
    expect(pkh).toBeDefined();
    expect(pkh.curve).toBe(curve);
    expect(pkh.encoded).toBe(k.pkh);
    expect(sameKeyHash(pkh, parsePublicKey(k.public_key).pkh)).toBe(true);
    if ('pkh_hash_hex' in k) expect(toHex(pkh.hash)).toBe(k.pkh_hash_hex);
  });

  test.each([['consensus_tz2', 88], ['consensus_tz3', 91]] as const)('%s: KMS SubjectPublicKeyInfo DER (%i bytes) gives the public key', (name, length) => {
    const der = fromHex(keys[name].kms_spki_der_hex);
    expect(der.length).toBe(length);
    const key = publicKeyFromSpki(der);
    expect(key.encoded).toBe(keys[name].public_key);
    expect(key.pkh.encoded).toBe(keys[name].pkh);
    expect(toHex(key.pkh.hash)).toBe(keys[name].pkh_hash_hex);
  });

  test('the two tz2 keys are different keys with different hashes', () => {
    const a = parseKeyHash(keys.authorized_tz2.pkh)!;
    const b = parseKeyHash(keys.consensus_tz2.pkh)!;
    expect(sameKeyHash(a, b)).toBe(false);
    // same hash under another curve is another key hash
    expect(sameKeyHash(b, { ...b, curve: 'p256' })).toBe(false);
  });
});

describe('Ed25519 (tz1), generated in-test', () => {
  test('edpk and tz1 encodings, SPKI, and verification', () => {
    const secret = ed25519.utils.randomSecretKey();
    const raw = ed25519.getPublicKey(secret);
    const key = publicKeyFromBytes('ed25519', raw);
    expect(key.encoded).toBe(b58('0d0f25d9', raw));
    expect(key.encoded).toMatch(/^edpk[1-9A-HJ-NP-Za-km-z]{50}$/);
    expect(key.pkh.encoded).toBe(b58('06a19f', blake160(raw)));
    expect(key.pkh.encoded).toMatch(/^tz1[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(parsePublicKey(key.encoded).pkh.encoded).toBe(key.pkh.encoded);
    expect(parseKeyHash(key.pkh.encoded)?.curve).toBe('ed25519');
    const spki = publicKeyFromSpki(cat('302a300506032b6570032100', raw));
    expect(spki.encoded).toBe(key.encoded);
    expect(spki.curve).toBe('ed25519');
    // Tezos Ed25519: pure Ed25519 over the 32-byte blake2b digest
    const digest = blake256(Uint8Array.of(0x13, 1, 2, 3));
    const signature = ed25519.sign(digest, secret);
    expect(verifySignature(key, digest, signature)).toBe(true);
    const other = digest.slice();
    other[0]! ^= 1;
    expect(verifySignature(key, other, signature)).toBe(false);
    const tampered = signature.slice();
    tampered[5]! ^= 1;
    expect(verifySignature(key, digest, tampered)).toBe(false);
  });

  test('the three curves through the in-test helpers agree with keys.ts', () => {
    for (const curve of ['ed25519', 'secp256k1', 'p256'] as const) {
      const k = testKey(curve);
      const key = publicKeyFromSpki(spkiOf(k));
      expect(key.encoded).toBe(encodedPublicKey(k));
      expect(key.pkh.encoded).toBe(encodedPkh(k));
    }
  });
});

describe('base58 prefixes (lambda/src/base58.ts) agree with @taquito/utils', () => {
  test.each([
    ['tz1', Prefix.TZ1],
    ['tz2', Prefix.TZ2],
    ['tz3', Prefix.TZ3],
    ['edpk', Prefix.EDPK],
    ['sppk', Prefix.SPPK],
    ['p2pk', Prefix.P2PK],
    ['edsig', Prefix.EDSIG],
    ['spsig1', Prefix.SPSIG],
    ['p2sig', Prefix.P2SIG],
    ['sig', Prefix.SIG],
    ['chainId', Prefix.NET],
    ['edsk', Prefix.EDSK],
    ['edskSeed', Prefix.EDSK2],
    ['spsk', Prefix.SPSK],
    ['p2sk', Prefix.P2SK],
  ] as const)('%s', (ours, theirs) => {
    const p = PREFIX[ours];
    expect(toHex(p.bytes)).toBe(toHex(taquitoPrefix[theirs]));
    // taquito has no lengths for the secret-key prefixes: 64 for the expanded edsk, 32 for the others
    const secretLengths: Record<string, number> = { edsk: 64, edskSeed: 32, spsk: 32, p2sk: 32 };
    expect(p.payloadLength).toBe(taquitoLength[theirs] ?? secretLengths[ours]);
    const encoded = b58encode(p, new Uint8Array(p.payloadLength).fill(3));
    expect(encoded.startsWith(p.name), encoded).toBe(true);
  });

  test('Ed25519 secret keys: 54 characters for the seed, 98 for the expanded key', () => {
    expect(b58encode(PREFIX.edskSeed, new Uint8Array(32).fill(1))).toMatch(/^edsk[1-9A-HJ-NP-Za-km-z]{50}$/);
    expect(b58encode(PREFIX.edsk, new Uint8Array(64).fill(1))).toMatch(/^edsk[1-9A-HJ-NP-Za-km-z]{94}$/);
  });
});

describe('refusals', () => {
  test('not a public key: an address, a signature, text, a bad checksum', () => {
    for (const text of [keys.consensus_tz2.pkh, CRYPTO.consensus_signatures.tz2.signature, 'hello', '', 'sppk']) {
      expect(() => parsePublicKey(text)).toThrow(/not an edpk, sppk or p2pk/);
    }
    const good = keys.consensus_tz2.public_key;
    const badChecksum = good.slice(0, -1) + (good.endsWith('t') ? 'u' : 't');
    expect(() => parsePublicKey(badChecksum)).toThrow(TypeError);
  });

  test('a point off the curve, or a wrong length, is refused', () => {
    const offCurve = b58encode(PREFIX.sppk, Uint8Array.of(0x02, ...new Uint8Array(32).fill(0xff)));
    expect(() => parsePublicKey(offCurve)).toThrow(/not a point on secp256k1/);
    const badPrefixByte = b58encode(PREFIX.p2pk, Uint8Array.of(0x05, ...parsePublicKey(keys.consensus_tz3.public_key).bytes.subarray(1)));
    expect(() => parsePublicKey(badPrefixByte)).toThrow(/not a point on p256/);
    expect(() => publicKeyFromBytes('secp256k1', new Uint8Array(32))).toThrow();
    expect(() => publicKeyFromBytes('ed25519', new Uint8Array(33))).toThrow();
  });

  test('a secret key given as a public key is refused without repeating it', () => {
    const secrets = [
      b58encode(PREFIX.spsk, fromHex(keys.consensus_tz2.secret_hex)),
      b58encode(PREFIX.p2sk, fromHex(keys.consensus_tz3.secret_hex)),
      b58encode(PREFIX.edskSeed, new Uint8Array(32).fill(9)),
      b58encode(PREFIX.edsk, new Uint8Array(64).fill(9)),
    ];
    for (const secret of secrets) {
      let message = '';
      try {
        parsePublicKey(secret);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/secret key/);
      expect(message).not.toContain(secret.slice(4, 12));
    }
  });

  test('key hashes: tz4, a public key, a bad checksum, a truncated address are not key hashes', () => {
    const good = keys.consensus_tz2.pkh;
    for (const text of ['tz4AAA', keys.consensus_tz2.public_key, good.slice(0, -1), good.slice(0, -1) + (good.endsWith('U') ? 'V' : 'U'), '', 'KT1']) {
      expect(parseKeyHash(text), text).toBeUndefined();
    }
    expect(parseKeyHash(b58encode(PREFIX.tz1, new Uint8Array(20)))?.curve).toBe('ed25519');
  });

  test('SubjectPublicKeyInfo: truncated, extended, compressed, other curves and RSA are refused', () => {
    const der = fromHex(keys.consensus_tz2.kms_spki_der_hex);
    const p = fromHex(keys.consensus_tz3.kms_spki_der_hex);
    const compressed = cat('3036301006072a8648ce3d020106052b8104000a032200', parsePublicKey(keys.consensus_tz2.public_key).bytes);
    const cases: [string, Uint8Array][] = [
      ['truncated', der.subarray(0, 87)],
      ['extended', cat(der, '00')],
      ['compressed point', compressed],
      ['not 0x04', cat(der.subarray(0, 23), '05', der.subarray(24))],
      ['secp256k1 point under the P-256 OID', cat(p.subarray(0, 26), der.subarray(23))],
      ['empty', new Uint8Array()],
      ['RSA', fromHex('30820122300d06092a864886f70d01010105000382010f00')],
      ['ed25519 too short', fromHex('302a300506032b6570032100' + '11'.repeat(31))],
    ];
    for (const [name, bytes] of cases) expect(() => publicKeyFromSpki(bytes), name).toThrow();
    // a point that is not on the curve
    const offCurve = der.slice();
    offCurve[offCurve.length - 1]! ^= 1;
    expect(() => publicKeyFromSpki(offCurve)).toThrow();
  });
});
