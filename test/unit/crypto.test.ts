// Keys, signatures and authentication against the shared vectors (test/fixtures/crypto.json).
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, test } from 'vitest';
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import vectors from '../fixtures/consensus-operations.json' with { type: 'json' };
import { authenticate, authenticationBytes } from '../../lambda/src/auth.js';
import { PREFIX, b58encode } from '../../lambda/src/base58.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { AuthenticationFailed, MalformedRequest, MissingAuthentication } from '../../lambda/src/errors.js';
import { blake2b256 } from '../../lambda/src/hash.js';
import { parseKeyHash, parsePublicKey, publicKeyFromBytes, publicKeyFromSpki } from '../../lambda/src/keys.js';
import { MalformedSignatureError, decodeSignature, derToCompactLowS, encodeSignature, verifySignature } from '../../lambda/src/signature.js';
import { authenticationFor, generateSecretKey, parseSecretKey, secretKeyFromBytes } from '../../local/secret-keys.js';

const payload = fromHex(vectors.vectors['signatory-integration/C3'].hex);
const { keys, consensus_signatures: sigs, authentication: auth } = crypto;

describe('keys', () => {
  test.each([['consensus_tz2'], ['consensus_tz3'], ['authorized_tz2']] as const)('%s: public key and pkh', (name) => {
    const key = parsePublicKey(keys[name].public_key);
    expect(key.pkh.encoded).toBe(keys[name].pkh);
    expect(key.encoded).toBe(keys[name].public_key);
    expect(parseKeyHash(keys[name].pkh)).toMatchObject({ curve: key.curve, encoded: keys[name].pkh });
  });

  test.each([['consensus_tz2'], ['consensus_tz3']] as const)('%s: KMS SubjectPublicKeyInfo DER gives the public key', (name) => {
    const key = publicKeyFromSpki(fromHex(keys[name].kms_spki_der_hex));
    expect(key.encoded).toBe(keys[name].public_key);
    expect(toHex(key.pkh.hash)).toBe(keys[name].pkh_hash_hex);
  });

  test('secret keys of the vectors derive the public keys', () => {
    expect(secretKeyFromBytes('secp256k1', fromHex(keys.consensus_tz2.secret_hex)).publicKey.encoded).toBe(keys.consensus_tz2.public_key);
    expect(secretKeyFromBytes('p256', fromHex(keys.consensus_tz3.secret_hex)).publicKey.encoded).toBe(keys.consensus_tz3.public_key);
  });

  test('Ed25519: edpk, tz1, SPKI', () => {
    const secret = ed25519.utils.randomSecretKey();
    const raw = ed25519.getPublicKey(secret);
    const key = publicKeyFromBytes('ed25519', raw);
    expect(key.encoded).toMatch(/^edpk[1-9A-HJ-NP-Za-km-z]{50}$/);
    expect(key.pkh.encoded).toMatch(/^tz1[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(parsePublicKey(key.encoded).pkh.encoded).toBe(key.pkh.encoded);
    expect(publicKeyFromSpki(fromHex('302a300506032b6570032100' + toHex(raw))).encoded).toBe(key.encoded);
  });

  test('refusals: not a key, a bad checksum, a point off the curve, other DER', () => {
    expect(() => parsePublicKey('tz2G2zHYNUmZXJucFXikkPqSrBYaAffTQK4U')).toThrow(/not an edpk, sppk or p2pk/);
    const good = keys.consensus_tz2.public_key;
    expect(() => parsePublicKey(good.slice(0, -1) + (good.endsWith('t') ? 'u' : 't'))).toThrow();
    const offCurve = b58encode(PREFIX.sppk, Uint8Array.of(0x02, ...new Uint8Array(32).fill(0xff)));
    expect(() => parsePublicKey(offCurve)).toThrow(/not a point/);
    expect(parseKeyHash('tz4AAA')).toBeUndefined();
    expect(() => publicKeyFromSpki(fromHex(keys.consensus_tz2.kms_spki_der_hex).subarray(0, 80))).toThrow(/unsupported public key/);
  });
});

describe('signatures', () => {
  const digest = fromHex(crypto.payload_blake2b_256);

  test('the payload digest is blake2b-256', () => {
    expect(toHex(blake2b256(payload))).toBe(crypto.payload_blake2b_256);
  });

  test.each([
    ['tz2', 'secp256k1', keys.consensus_tz2.public_key],
    ['tz3', 'p256', keys.consensus_tz3.public_key],
  ] as const)('%s: KMS DER → the expected low-S signature, which verifies', (name, curve, publicKey) => {
    const compact = derToCompactLowS(curve, fromHex(sigs[name].kms_der_hex));
    expect(encodeSignature(curve, compact)).toBe(sigs[name].signature);
    expect(verifySignature(parsePublicKey(publicKey), digest, compact)).toBe(true);
  });

  test('the high-S twin: never emitted; refused for secp256k1, accepted for P-256 as Tezos does', () => {
    const twin = decodeSignature(sigs.tz2.high_s_twin_must_not_be_emitted)!;
    expect(twin.curve).toBe('secp256k1');
    expect(verifySignature(parsePublicKey(keys.consensus_tz2.public_key), digest, twin.bytes)).toBe(false);
    // Its DER form normalises back to the low-S signature.
    const r = twin.bytes.subarray(0, 32);
    const s = twin.bytes.subarray(32);
    const int = (b: Uint8Array) => {
      let h = toHex(b).replace(/^(00)+/, '');
      if (parseInt(h.slice(0, 2), 16) >= 0x80) h = '00' + h;
      return '02' + (h.length / 2).toString(16).padStart(2, '0') + h;
    };
    const body = int(r) + int(s);
    const der = fromHex('30' + (body.length / 2).toString(16).padStart(2, '0') + body);
    expect(encodeSignature('secp256k1', derToCompactLowS('secp256k1', der))).toBe(sigs.tz2.signature);
    // P-256: the (r, n - s) twin verifies (Tezos accepts it), so the signer emits only low-S.
    const p = decodeSignature(sigs.tz3.signature)!;
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const high = n - BigInt('0x' + toHex(p.bytes.subarray(32)));
    const twin3 = fromHex(toHex(p.bytes.subarray(0, 32)) + high.toString(16).padStart(64, '0'));
    expect(verifySignature(parsePublicKey(keys.consensus_tz3.public_key), digest, twin3)).toBe(true);
  });

  test('malformed DER is refused', () => {
    const der = fromHex(sigs.tz2.kms_der_hex);
    const variants: [string, Uint8Array][] = [
      ['not a SEQUENCE', Uint8Array.from([0x31, ...der.subarray(1)])],
      ['wrong length', Uint8Array.from([0x30, der[1]! + 1, ...der.subarray(2)])],
      ['trailing byte', Uint8Array.from([0x30, der[1]! + 1, ...der.subarray(2), 0])],
      ['truncated', der.subarray(0, der.length - 1)],
      ['r not an INTEGER', Uint8Array.from([...der.subarray(0, 2), 0x04, ...der.subarray(3)])],
      ['negative r', fromHex('3044022080' + '11'.repeat(31) + '0220' + '22'.repeat(32))],
      ['non-minimal r', fromHex('30450221000' + '1' + '11'.repeat(31) + '0220' + '22'.repeat(32))],
      ['r = 0', fromHex('3025020100' + '0220' + '22'.repeat(32))],
      ['s = n', fromHex('3025020101' + '022100fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141')],
      ['empty', new Uint8Array()],
    ];
    for (const [, bytes] of variants) expect(() => derToCompactLowS('secp256k1', bytes)).toThrow(MalformedSignatureError);
  });

  test('base58 forms: typed and generic', () => {
    expect(decodeSignature(sigs.tz3.signature)?.curve).toBe('p256');
    const generic = b58encode(PREFIX.sig, decodeSignature(sigs.tz2.signature)!.bytes);
    expect(decodeSignature(generic)).toMatchObject({ curve: undefined });
    expect(decodeSignature('spsig1notbase58!')).toBeUndefined();
  });
});

describe('authentication', () => {
  const authorized = parsePublicKey(keys.authorized_tz2.public_key);
  const tz2 = parseKeyHash(keys.consensus_tz2.pkh)!;
  const tz3 = parseKeyHash(keys.consensus_tz3.pkh)!;

  test('the authenticated bytes and digests of the vectors', () => {
    expect(toHex(authenticationBytes(tz2, payload)).startsWith(auth.for_consensus_tz2.to_sign_prefix_hex)).toBe(true);
    expect(toHex(blake2b256(authenticationBytes(tz2, payload)))).toBe(auth.for_consensus_tz2.digest);
    expect(toHex(blake2b256(authenticationBytes(tz3, payload)))).toBe(auth.for_consensus_tz3.digest);
  });

  test('the vectors authenticate for their pkh, and only for it', () => {
    expect(authenticate([authorized], tz2, payload, auth.for_consensus_tz2.authentication).pkh.encoded).toBe(keys.authorized_tz2.pkh);
    expect(authenticate([authorized], tz3, payload, auth.for_consensus_tz3.authentication).pkh.encoded).toBe(keys.authorized_tz2.pkh);
    expect(() => authenticate([authorized], tz3, payload, auth.for_consensus_tz2.authentication)).toThrow(AuthenticationFailed);
    const other = payload.slice();
    other[50] = other[50]! ^ 1;
    expect(() => authenticate([authorized], tz2, other, auth.for_consensus_tz2.authentication)).toThrow(AuthenticationFailed);
  });

  test('the high-S twin of a valid authentication is refused (403)', () => {
    expect(() => authenticate([authorized], tz2, payload, auth.for_consensus_tz2.high_s_twin_must_fail)).toThrow(AuthenticationFailed);
  });

  test('missing (401), unreadable (400), no authorized key signed it (403)', () => {
    expect(() => authenticate([authorized], tz2, payload, undefined)).toThrow(MissingAuthentication);
    expect(() => authenticate([authorized], tz2, payload, '')).toThrow(MissingAuthentication);
    expect(() => authenticate([authorized], tz2, payload, 'garbage')).toThrow(MalformedRequest);
    expect(() => authenticate([generateSecretKey().publicKey], tz2, payload, auth.for_consensus_tz2.authentication)).toThrow(AuthenticationFailed);
  });

  test.each(['ed25519', 'secp256k1', 'p256'] as const)('an authorized %s key, typed and generic signature forms', (curve) => {
    const key = generateSecretKey(curve);
    const signature = authenticationFor(key, tz2, payload);
    expect(authenticate([authorized, key.publicKey], tz2, payload, signature).pkh.encoded).toBe(key.publicKey.pkh.encoded);
    const generic = b58encode(PREFIX.sig, decodeSignature(signature)!.bytes);
    expect(authenticate([authorized, key.publicKey], tz2, payload, generic).pkh.encoded).toBe(key.publicKey.pkh.encoded);
    expect(parseSecretKey(key.encoded).publicKey.encoded).toBe(key.publicKey.encoded);
  });
});
