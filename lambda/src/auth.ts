// The `authentication` check of the octez remote-signer protocol: an authorized key signs
// blake2b-256(0x04 || 0x01 || pkh tag || 20-byte pkh hash || payload), binding the request to the
// exact bytes and to the key that is to sign them. Only a key found from the signature is verified
// (candidates.ts): a forged authentication costs one curve's work, one key recovery (ECDSA) or one check
// per Ed25519 key (at most MAX_ED25519_AUTHORIZED_KEYS), however many keys are authorized.
import { maxEncodedLength } from './base58.js';
import { concatBytes, toHex } from './bytes.js';
import { ed25519Candidate, recoverCandidates } from './candidates.js';
import { AuthenticationFailed, MalformedRequest, MissingAuthentication } from './errors.js';
import { blake2b256 } from './hash.js';
import { CURVES, type Curve, type KeyHash, type PublicKey } from './keys.js';
import { decodeSignature, verifySignature, type WorkMeter } from './signature.js';

const AUTH_MAGIC = Uint8Array.of(0x04, 0x01);

/** The longest base58 signature (a 5-byte prefix, 64 bytes, a 4-byte checksum): 100 characters. */
export const MAX_AUTHENTICATION_LENGTH = maxEncodedLength(5 + 64 + 4);

/** The bytes an authorized key signs to authenticate a request to `signer` for `payload`. */
export function authenticationBytes(signer: KeyHash, payload: Uint8Array): Uint8Array {
  return concatBytes(AUTH_MAGIC, Uint8Array.of(CURVES[signer.curve].tag), signer.hash, payload);
}

/**
 * The authorized keys of `curve` that may have made `signature`: recovered (ECDSA) or checked
 * (Ed25519). Matching the (at most two) recovered encodings against the keys is string work, not
 * curve arithmetic: it does not make a forgery dearer as keys are added.
 */
function candidates(authorizedKeys: readonly PublicKey[], curve: Curve, digest: Uint8Array, signature: Uint8Array, meter?: WorkMeter): readonly PublicKey[] {
  const keys = authorizedKeys.filter((key) => key.curve === curve);
  if (curve === 'ed25519') {
    return keys.filter((key) => {
      meter?.('ed25519');
      return ed25519Candidate(key, digest, signature);
    });
  }
  // One secp256k1 key: verifying it costs less than a recovery (0.4 of it once its table is built, 0.85
  // before). A P-256 recovery (OpenSSL) costs less than a verification in JavaScript.
  if (keys.length === 0 || (keys.length === 1 && curve === 'secp256k1')) return keys;
  meter?.('recovery');
  const found = recoverCandidates(curve, digest, signature);
  return keys.filter((key) => found.includes(toHex(key.bytes)));
}

/**
 * Returns the authorized key that made `authentication`; throws when it is missing (401), unreadable
 * (400) or made by no authorized key over these bytes (403).
 */
export function authenticate(
  authorizedKeys: readonly PublicKey[],
  signer: KeyHash,
  payload: Uint8Array,
  authentication: string | undefined,
  meter?: WorkMeter,
): PublicKey {
  if (authentication === undefined || authentication === '') {
    throw new MissingAuthentication('missing authentication: sign the request with an authorized key (the `authentication` query parameter)');
  }
  // Checked before decoding (base58 is quadratic): the longest signature form, spsig1, is 100 characters.
  if (authentication.length > MAX_AUTHENTICATION_LENGTH) {
    throw new MalformedRequest(`authentication of ${authentication.length} characters is not a signature: the longest is ${MAX_AUTHENTICATION_LENGTH}`);
  }
  const signature = decodeSignature(authentication);
  if (signature === undefined) {
    throw new MalformedRequest('authentication is not a base58 signature (edsig, spsig1, p2sig or sig)');
  }
  // The generic `sig…` form does not say its curve. Trying each curve with authorized keys would let a
  // forger make every request pay them all in turn (2.2 to 2.9 ms, over the 2 ms a refusal may cost), so
  // it is taken only when the keys are of one curve. octez sends each curve's own prefix.
  const curves = signature.curve ? [signature.curve] : [...new Set(authorizedKeys.map((key) => key.curve))];
  if (curves.length > 1) throw new MalformedRequest('generic sig authentication refused: the authorized keys are of several curves; send edsig, spsig1 or p2sig');
  const digest = blake2b256(authenticationBytes(signer, payload));
  for (const curve of curves) {
    for (const key of candidates(authorizedKeys, curve, digest, signature.bytes, meter)) {
      // Recovery finds only keys the signature verifies with; verifying is the insurance, and applies
      // the curve's rules (secp256k1 refuses high S, Ed25519 is strict).
      if (verifySignature(key, digest, signature.bytes, meter)) return key;
    }
  }
  throw new AuthenticationFailed(`authentication refused: no authorized key signed these bytes for ${signer.encoded}`);
}
