// In-process stand-ins for KMS and the watermark table, for the fuzzer: the same contracts as the real
// ports (KmsApi, WatermarkStore), answered from memory, with a hook that sees every KMS signing call.
import { ed25519 } from '@noble/curves/ed25519.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { p256 } from '@noble/curves/nist.js';
import { fromHex } from '../../lambda/src/bytes.js';
import type { KmsApi } from '../../lambda/src/kms.js';
import type { Watermark } from '../../lambda/src/watermark.js';
import type { WatermarkStore } from '../../lambda/src/watermark-store.js';
import type { SecretKey } from '../../local/secret-keys.js';

const SPKI_PREFIX = {
  secp256k1: '3056301006072a8648ce3d020106052b8104000a034200',
  p256: '3059301306072a8648ce3d020106082a8648ce3d030107034200',
  ed25519: '302a300506032b6570032100',
} as const;

/** SubjectPublicKeyInfo DER of a key, as KMS GetPublicKey returns it. */
export function spkiOf(key: SecretKey): Uint8Array {
  const raw =
    key.curve === 'ed25519'
      ? ed25519.getPublicKey(key.secret)
      : (key.curve === 'secp256k1' ? secp256k1 : p256).getPublicKey(key.secret, false);
  return Uint8Array.from(Buffer.concat([fromHex(SPKI_PREFIX[key.curve]), raw]));
}

export class FakeKms implements KmsApi {
  signCalls = 0;
  /** Called with the key id and the message before each signature; throw to fail the call. */
  onSign: ((keyId: string, message: Uint8Array) => void) | undefined;

  constructor(private readonly keys: ReadonlyMap<string, SecretKey>) {}

  async getPublicKey(keyId: string): Promise<Uint8Array> {
    const key = this.keys.get(keyId);
    if (key === undefined) throw Object.assign(new Error('not found'), { name: 'NotFoundException' });
    return spkiOf(key);
  }

  async sign(keyId: string, message: Uint8Array, isEd25519: boolean): Promise<Uint8Array> {
    const key = this.keys.get(keyId);
    if (key === undefined) throw Object.assign(new Error('not found'), { name: 'NotFoundException' });
    this.signCalls += 1;
    this.onSign?.(keyId, message);
    if (isEd25519 !== (key.curve === 'ed25519')) throw new Error('wrong algorithm for the key');
    if (key.curve === 'ed25519') return ed25519.sign(message, key.secret);
    // KMS ECDSA: randomized, DER, either half of S.
    const curve = key.curve === 'secp256k1' ? secp256k1 : p256;
    return curve.sign(message, key.secret, { prehash: false, lowS: false, format: 'der', extraEntropy: true });
  }
}

/** The conditional write of DynamoWatermarkStore, on a Map: applied only strictly above. */
export class FakeStore implements WatermarkStore {
  readonly items = new Map<string, Watermark>();
  async read(key: string): Promise<Watermark | undefined> {
    return this.items.get(key);
  }
  async advance(key: string, next: Watermark): Promise<boolean> {
    const stored = this.items.get(key);
    if (stored === undefined || next.level > stored.level || (next.level === stored.level && next.round > stored.round)) {
      this.items.set(key, next);
      return true;
    }
    return false;
  }
}
