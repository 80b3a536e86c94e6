// KMS: the public keys of the consensus keys, and signatures checked before anything else sees them.
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { UpstreamFailure } from './errors.js';
import { publicKeyFromSpki, type PublicKey } from './keys.js';
import { derToCompactLowS, MalformedSignatureError, verifySignature } from './signature.js';
import { errorName } from './watermark-store.js';

export interface ConsensusKey {
  readonly keyId: string;
  readonly publicKey: PublicKey;
}

/** The signing operations of KMS the signer uses, so that tests and the bench can answer in-process. */
export interface KmsApi {
  getPublicKey(keyId: string): Promise<Uint8Array>;
  /** The raw `Signature` blob KMS returns: DER for ECDSA, 64 bytes for Ed25519. */
  sign(keyId: string, message: Uint8Array, ed25519: boolean): Promise<Uint8Array>;
}

export function kmsApi(client: KMSClient): KmsApi {
  return {
    async getPublicKey(keyId) {
      const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
      if (PublicKey === undefined) throw new Error('GetPublicKey returned no key');
      return PublicKey;
    },
    async sign(keyId, message, ed25519) {
      const { Signature } = await client.send(
        new SignCommand(
          ed25519
            ? { KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' }
            : { KeyId: keyId, Message: message, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' },
        ),
      );
      if (Signature === undefined) throw new Error('Sign returned no signature');
      return Signature;
    },
  };
}

export async function loadConsensusKeys(kms: KmsApi, keyIds: readonly string[]): Promise<ConsensusKey[]> {
  return Promise.all(
    keyIds.map(async (keyId) => {
      let der: Uint8Array;
      try {
        der = await kms.getPublicKey(keyId);
      } catch (error) {
        throw new UpstreamFailure(`KMS GetPublicKey for ${keyId} failed: ${errorName(error)}`);
      }
      try {
        return { keyId, publicKey: publicKeyFromSpki(der) };
      } catch (error) {
        // publicKeyFromSpki says what was expected; errorName would reduce it to "TypeError".
        throw new UpstreamFailure(`KMS key ${keyId}: ${error instanceof Error ? error.message.slice(0, 200) : errorName(error)}`);
      }
    }),
  );
}

/**
 * Signs a 32-byte digest and returns the 64-byte Tezos signature, low-S for ECDSA, verified against
 * the key's public key: a signature that does not verify never leaves this function.
 */
export async function signDigest(kms: KmsApi, key: ConsensusKey, digest: Uint8Array): Promise<Uint8Array> {
  const { curve } = key.publicKey;
  let raw: Uint8Array;
  try {
    raw = await kms.sign(key.keyId, digest, curve === 'ed25519');
  } catch (error) {
    throw new UpstreamFailure(`KMS Sign failed: ${errorName(error)}; nothing was signed`);
  }
  let signature: Uint8Array;
  try {
    signature = curve === 'ed25519' ? raw : derToCompactLowS(curve, raw);
  } catch (error) {
    if (error instanceof MalformedSignatureError) throw new UpstreamFailure(`KMS Sign returned an unusable signature (${error.message})`);
    throw error;
  }
  if (!verifySignature(key.publicKey, digest, signature)) {
    throw new UpstreamFailure('KMS Sign returned a signature that does not verify against the key; discarded');
  }
  return signature;
}
