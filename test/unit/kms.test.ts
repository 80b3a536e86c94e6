// KMS (lambda/src/kms.ts): the SDK commands sent (Ed25519 RAW, ECDSA DIGEST), the public keys loaded
// from SubjectPublicKeyInfo, and signDigest, which lets no unusable or foreign signature out.
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { UpstreamFailure } from '../../lambda/src/errors.js';
import { kmsApi, loadConsensusKeys, signDigest, type ConsensusKey, type KmsApi } from '../../lambda/src/kms.js';
import { decodeSignature, encodeSignature, isHighS, verifySignature } from '../../lambda/src/signature.js';
import { CONSENSUS_TZ2, CONSENSUS_TZ3, CRYPTO, N, TestKms, blake256, der, big, publicKeyOf, spkiOf, testKey, type TestKey } from './helpers.js';

class FakeKmsClient {
  readonly commands: unknown[] = [];
  answer: (command: unknown) => unknown = () => ({});
  async send(command: unknown) {
    this.commands.push(command);
    return this.answer(command);
  }
}
const client = (fake: FakeKmsClient) => fake as unknown as KMSClient;
const digest = fromHex(CRYPTO.payload_blake2b_256);

async function upstream(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamFailure);
  expect((error as UpstreamFailure).status).toBe(503);
  return (error as Error).message;
}

describe('kmsApi: the SDK commands', () => {
  test('Ed25519: Sign with MessageType RAW and ED25519_SHA_512 over the 32-byte digest', async () => {
    const fake = new FakeKmsClient();
    fake.answer = () => ({ Signature: new Uint8Array(64).fill(1) });
    const out = await kmsApi(client(fake)).sign('key-ed', digest, true);
    expect(out).toEqual(new Uint8Array(64).fill(1));
    const command = fake.commands[0] as SignCommand;
    expect(command).toBeInstanceOf(SignCommand);
    expect(command.input).toEqual({ KeyId: 'key-ed', Message: digest, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' });
  });

  test('ECDSA: Sign with MessageType DIGEST and ECDSA_SHA_256', async () => {
    const fake = new FakeKmsClient();
    fake.answer = () => ({ Signature: fromHex(CRYPTO.consensus_signatures.tz2.kms_der_hex) });
    const out = await kmsApi(client(fake)).sign('arn:aws:kms:eu-west-1:1:key/k', digest, false);
    expect(toHex(out)).toBe(CRYPTO.consensus_signatures.tz2.kms_der_hex);
    expect((fake.commands[0] as SignCommand).input).toEqual({
      KeyId: 'arn:aws:kms:eu-west-1:1:key/k',
      Message: digest,
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
  });

  test('GetPublicKey with the key id; a missing key or signature is an error', async () => {
    const fake = new FakeKmsClient();
    fake.answer = () => ({ PublicKey: fromHex(CRYPTO.keys.consensus_tz2.kms_spki_der_hex) });
    const api = kmsApi(client(fake));
    expect(toHex(await api.getPublicKey('k1'))).toBe(CRYPTO.keys.consensus_tz2.kms_spki_der_hex);
    const command = fake.commands[0] as GetPublicKeyCommand;
    expect(command).toBeInstanceOf(GetPublicKeyCommand);
    expect(command.input).toEqual({ KeyId: 'k1' });
    fake.answer = () => ({});
    await expect(api.getPublicKey('k1')).rejects.toThrow(/no key/);
    await expect(api.sign('k1', digest, false)).rejects.toThrow(/no signature/);
  });

  test('through signDigest, the kind of key decides the command', async () => {
    for (const [k, messageType] of [[testKey('ed25519'), 'RAW'], [CONSENSUS_TZ2, 'DIGEST'], [CONSENSUS_TZ3, 'DIGEST']] as const) {
      const fake = new FakeKmsClient();
      const kms = new TestKms(new Map([['id', k]]));
      fake.answer = async (command) => ({ Signature: await kms.sign('id', (command as SignCommand).input.Message!, (command as SignCommand).input.MessageType === 'RAW') });
      const key: ConsensusKey = { keyId: 'id', publicKey: publicKeyOf(k) };
      const signature = await signDigest(kmsApi(client(fake)), key, digest);
      expect((fake.commands[0] as SignCommand).input.MessageType).toBe(messageType);
      expect(verifySignature(key.publicKey, digest, signature)).toBe(true);
    }
  });
});

describe('loadConsensusKeys', () => {
  test('each key id to its public key, from SubjectPublicKeyInfo', async () => {
    const ed = testKey('ed25519');
    const kms = new TestKms(new Map<string, TestKey>([['a', CONSENSUS_TZ2], ['b', CONSENSUS_TZ3], ['c', ed]]));
    const keys = await loadConsensusKeys(kms, ['a', 'b', 'c']);
    expect(keys.map((k) => [k.keyId, k.publicKey.encoded])).toEqual([
      ['a', CRYPTO.keys.consensus_tz2.public_key],
      ['b', CRYPTO.keys.consensus_tz3.public_key],
      ['c', publicKeyOf(ed).encoded],
    ]);
    expect(kms.getPublicKeyCalls).toBe(3);
  });

  test('a failed call or an unsupported key is a 503 naming the key id', async () => {
    const kms = new TestKms(new Map([['a', CONSENSUS_TZ2]]));
    expect(await upstream(loadConsensusKeys(kms, ['a', 'nope']))).toMatch(/GetPublicKey for nope failed: NotFoundException/);
    const rsa: KmsApi = { getPublicKey: async () => fromHex('30820122300d06092a864886f70d01010105000382010f00'), sign: async () => new Uint8Array() };
    expect(await upstream(loadConsensusKeys(rsa, ['rsa-key']))).toMatch(/KMS key rsa-key: .*unsupported public key/);
  });
});

describe('signDigest with a fake KmsApi', () => {
  function recording(k: TestKey, answer?: (honest: Uint8Array) => Uint8Array) {
    const calls: { keyId: string; message: string; ed25519: boolean }[] = [];
    const inner = new TestKms(new Map([['kid', k]]));
    const api: KmsApi = {
      getPublicKey: (id) => inner.getPublicKey(id),
      async sign(keyId, message, ed25519) {
        calls.push({ keyId, message: toHex(message), ed25519 });
        const honest = await inner.sign(keyId, message, ed25519);
        return answer ? answer(honest) : honest;
      },
    };
    return { api, calls, key: { keyId: 'kid', publicKey: publicKeyOf(k) } as ConsensusKey };
  }

  test('Ed25519: the ed25519 flag and the digest itself (not the payload, not a hash of it)', async () => {
    const { api, calls, key } = recording(testKey('ed25519'));
    const signature = await signDigest(api, key, digest);
    expect(calls).toEqual([{ keyId: 'kid', message: CRYPTO.payload_blake2b_256, ed25519: true }]);
    expect(signature.length).toBe(64);
    expect(verifySignature(key.publicKey, digest, signature)).toBe(true);
  });

  test.each([
    ['secp256k1', CONSENSUS_TZ2],
    ['p256', CONSENSUS_TZ3],
  ] as const)('%s: ECDSA flag, the digest, and a low-S result even from a high-S DER', async (curve, k) => {
    for (const highS of [false, true]) {
      const { api, calls, key } = recording(k, (honest) => {
        const { r, s } = secp256k1.Signature.fromBytes(honest, 'der'); // DER is the same for both curves
        const low = s > N[curve] >> 1n ? N[curve] - s : s;
        return der(r, highS ? N[curve] - low : low);
      });
      const signature = await signDigest(api, key, digest);
      expect(calls).toEqual([{ keyId: 'kid', message: CRYPTO.payload_blake2b_256, ed25519: false }]);
      expect(isHighS(curve, signature)).toBe(false);
      expect(verifySignature(key.publicKey, digest, signature)).toBe(true);
    }
  });

  test('the vector DER of KMS gives the vector signature', async () => {
    for (const [name, k] of [['tz2', CONSENSUS_TZ2], ['tz3', CONSENSUS_TZ3]] as const) {
      const { api, key } = recording(k, () => fromHex(CRYPTO.consensus_signatures[name].kms_der_hex));
      const signature = await signDigest(api, key, digest);
      expect(encodeSignature(key.publicKey.curve, signature)).toBe(CRYPTO.consensus_signatures[name].signature);
    }
  });

  test('a high-S DER of the vector gives the low-S vector signature, never the twin', async () => {
    const low = decodeSignature(CRYPTO.consensus_signatures.tz2.signature)!.bytes;
    const n = secp256k1.Point.CURVE().n;
    const highDer = der(big(low.subarray(0, 32)), n - big(low.subarray(32)));
    const { api, key } = recording(CONSENSUS_TZ2, () => highDer);
    const out = encodeSignature('secp256k1', await signDigest(api, key, digest));
    expect(out).toBe(CRYPTO.consensus_signatures.tz2.signature);
    expect(out).not.toBe(CRYPTO.consensus_signatures.tz2.high_s_twin_must_not_be_emitted);
  });

  test('KMS fails: a 503 naming the error; nothing was signed', async () => {
    const api: KmsApi = {
      getPublicKey: async () => new Uint8Array(),
      sign: async () => {
        throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      },
    };
    const message = await upstream(signDigest(api, { keyId: 'k', publicKey: publicKeyOf(CONSENSUS_TZ2) }, digest));
    expect(message).toBe('KMS Sign failed: AccessDeniedException; nothing was signed');
  });

  test.each([
    ['malformed DER', CONSENSUS_TZ2, () => Uint8Array.of(0x30, 0x02, 0x02, 0x00), /unusable signature/],
    ['DER with s = 0', CONSENSUS_TZ2, () => der(5n, 0n), /unusable signature/],
    ['a signature by another key', CONSENSUS_TZ2, () => secp256k1.sign(digest, testKey('secp256k1').secret, { prehash: false, format: 'der' }), /does not verify/],
    ['a signature of another digest', CONSENSUS_TZ2, () => secp256k1.sign(blake256(Uint8Array.of(9)), CONSENSUS_TZ2.secret, { prehash: false, format: 'der' }), /does not verify/],
    ['the sha256-prehashed form (a RAW-style signature)', CONSENSUS_TZ2, () => secp256k1.sign(digest, CONSENSUS_TZ2.secret, { prehash: true, format: 'der' }), /does not verify/],
    ['Ed25519: 63 bytes', testKey('ed25519'), () => new Uint8Array(63), /does not verify/],
    ['Ed25519: zeros', testKey('ed25519'), () => new Uint8Array(64), /does not verify/],
  ] as const)('KMS answers %s: a 503, and no signature', async (_name, k, answer, pattern) => {
    const { api, key } = recording(k, () => answer());
    expect(await upstream(signDigest(api, key, digest))).toMatch(pattern);
  });
});
