// The `authentication` check of the octez remote-signer protocol: an authorized key signs
// blake2b-256(0x04 || 0x01 || pkh tag || 20-byte pkh hash || payload), binding the request to the
// exact bytes and to the key that is to sign them.
import { maxEncodedLength } from './base58.js';
import { concatBytes } from './bytes.js';
import { AuthenticationFailed, MalformedRequest, MissingAuthentication } from './errors.js';
import { blake2b256 } from './hash.js';
import { CURVES, type KeyHash, type PublicKey } from './keys.js';
import { decodeSignature, verifySignature } from './signature.js';

const AUTH_MAGIC = Uint8Array.of(0x04, 0x01);

/** The longest base58 signature (a 5-byte prefix, 64 bytes, a 4-byte checksum): 100 characters. */
export const MAX_AUTHENTICATION_LENGTH = maxEncodedLength(5 + 64 + 4);

/** The bytes an authorized key signs to authenticate a request to `signer` for `payload`. */
export function authenticationBytes(signer: KeyHash, payload: Uint8Array): Uint8Array {
  return concatBytes(AUTH_MAGIC, Uint8Array.of(CURVES[signer.curve].tag), signer.hash, payload);
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
  const digest = blake2b256(authenticationBytes(signer, payload));
  for (const key of authorizedKeys) {
    if (signature.curve !== undefined && signature.curve !== key.curve) continue;
    if (verifySignature(key, digest, signature.bytes)) return key;
  }
  throw new AuthenticationFailed(`authentication refused: no authorized key signed these bytes for ${signer.encoded}`);
}
