// The local KMS endpoint, through the real AWS SDK client: what the signer relies on from KMS.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListKeysCommand,
  NotFoundException,
  SignCommand,
} from '@aws-sdk/client-kms';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { publicKeyFromSpki } from '../../lambda/src/keys.js';
import { derToCompactLowS, isHighS, verifySignature } from '../../lambda/src/signature.js';
import { startLocalKms, type LocalKms } from '../../local/kms-server.js';
import { randomCredentials } from '../../local/sigv4.js';

const DIGEST = new Uint8Array(32).fill(9);
const CREDENTIALS = randomCredentials();

describe('local KMS endpoint', () => {
  let dir: string;
  let kms: LocalKms;
  let client: KMSClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-kms-'));
    kms = await startLocalKms({ dir, port: 0, credentials: CREDENTIALS });
    client = new KMSClient({ region: 'us-east-1', endpoint: kms.url, credentials: CREDENTIALS });
    for (const spec of ['ECC_SECG_P256K1', 'ECC_NIST_P256', 'ECC_NIST_EDWARDS25519'] as const) {
      const { KeyMetadata } = await client.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY', KeySpec: spec }));
      ids[spec] = KeyMetadata!.KeyId!;
    }
  });

  afterAll(async () => {
    client.destroy();
    await kms.close();
    await rm(dir, { recursive: true, force: true });
  });

  test.each([
    ['ECC_SECG_P256K1', 88, 'secp256k1'],
    ['ECC_NIST_P256', 91, 'p256'],
    ['ECC_NIST_EDWARDS25519', 44, 'ed25519'],
  ] as const)('%s: GetPublicKey returns %i bytes of SubjectPublicKeyInfo DER', async (spec, length, curve) => {
    const { PublicKey, KeySpec } = await client.send(new GetPublicKeyCommand({ KeyId: ids[spec] }));
    expect(PublicKey).toHaveLength(length);
    expect(KeySpec).toBe(spec);
    expect(publicKeyFromSpki(PublicKey!).curve).toBe(curve);
  });

  test.each(['ECC_SECG_P256K1', 'ECC_NIST_P256'] as const)('%s: ECDSA DIGEST signatures are DER, randomized, sometimes high-S, and verify', async (spec) => {
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: ids[spec] }));
    const key = publicKeyFromSpki(PublicKey!);
    const curve = key.curve as 'secp256k1' | 'p256';
    const seen = new Set<string>();
    let high = 0;
    for (let i = 0; i < 24; i++) {
      const { Signature, SigningAlgorithm } = await client.send(
        new SignCommand({ KeyId: ids[spec], Message: DIGEST, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
      );
      expect(SigningAlgorithm).toBe('ECDSA_SHA_256');
      expect(Signature![0]).toBe(0x30);
      seen.add(Buffer.from(Signature!).toString('hex'));
      // The raw r||s before normalisation: is s high?
      const compact = derToCompactLowS(curve, Signature!);
      expect(verifySignature(key, DIGEST, compact)).toBe(true);
      expect(isHighS(curve, compact)).toBe(false);
      const raw = Buffer.from(Signature!).toString('hex');
      if (!raw.endsWith(Buffer.from(compact.subarray(32)).toString('hex'))) high++;
    }
    expect(seen.size).toBe(24); // randomized k, as KMS
    expect(high).toBeGreaterThan(0); // KMS does not normalise: the signer must
  });

  test('Ed25519: ED25519_SHA_512 over the RAW 32-byte digest is a pure Ed25519 signature', async () => {
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: ids['ECC_NIST_EDWARDS25519'] }));
    const key = publicKeyFromSpki(PublicKey!);
    const { Signature } = await client.send(
      new SignCommand({ KeyId: ids['ECC_NIST_EDWARDS25519'], Message: DIGEST, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' }),
    );
    expect(Signature).toHaveLength(64);
    expect(ed25519.verify(Signature!, DIGEST, key.bytes)).toBe(true);
    await expect(
      client.send(new SignCommand({ KeyId: ids['ECC_NIST_EDWARDS25519'], Message: DIGEST, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_SHA_512' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('errors arrive as the SDK exceptions: unknown key, wrong algorithm, bad digest length', async () => {
    await expect(client.send(new GetPublicKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' }))).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      client.send(new SignCommand({ KeyId: ids['ECC_SECG_P256K1'], Message: DIGEST, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_SHA_512' })),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    await expect(
      client.send(new SignCommand({ KeyId: ids['ECC_SECG_P256K1'], Message: new Uint8Array(31), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('ListKeys and DescribeKey; keys addressed by id or ARN', async () => {
    const { Keys } = await client.send(new ListKeysCommand({}));
    expect(Keys!.map((k) => k.KeyId).sort()).toEqual(Object.values(ids).sort());
    const arn = Keys!.find((k) => k.KeyId === ids['ECC_NIST_P256'])!.KeyArn!;
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: arn }));
    expect(KeyMetadata).toMatchObject({ KeyId: ids['ECC_NIST_P256'], KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', KeyState: 'Enabled' });
  });

  test('faults: error, throttle, malformed DER, another key; limited by times; counted', async () => {
    const sign = () => client.send(new SignCommand({ KeyId: ids['ECC_SECG_P256K1'], Message: DIGEST, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: ids['ECC_SECG_P256K1'] }));
    const key = publicKeyFromSpki(PublicKey!);
    const before = kms.stats.faultsInjected;
    const noRetry = new KMSClient({ region: 'us-east-1', endpoint: kms.url, credentials: CREDENTIALS, maxAttempts: 1 });
    kms.faults.sign = { kind: 'error', times: 1 };
    await expect(noRetry.send(new SignCommand({ KeyId: ids['ECC_SECG_P256K1'], Message: DIGEST, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }))).rejects.toMatchObject({ name: 'KMSInternalException' });
    kms.faults.sign = { kind: 'throttle', times: 1 };
    await expect(noRetry.send(new SignCommand({ KeyId: ids['ECC_SECG_P256K1'], Message: DIGEST, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    kms.faults.sign = { kind: 'malformed-der', times: 1 };
    const malformed = await sign();
    expect(() => derToCompactLowS('secp256k1', malformed.Signature!)).toThrow();
    kms.faults.sign = { kind: 'wrong-key', times: 1 };
    const wrong = await sign();
    expect(verifySignature(key, DIGEST, derToCompactLowS('secp256k1', wrong.Signature!))).toBe(false);
    const fine = await sign(); // times exhausted: back to normal
    expect(verifySignature(key, DIGEST, derToCompactLowS('secp256k1', fine.Signature!))).toBe(true);
    expect(kms.stats.faultsInjected - before).toBe(4);
    noRetry.destroy();
    delete kms.faults.sign;
  });

  test('keys persist as 0600 files: a restarted endpoint serves the same public keys', async () => {
    const { PublicKey: first } = await client.send(new GetPublicKeyCommand({ KeyId: ids['ECC_SECG_P256K1'] }));
    const mode = (await stat(join(dir, `${ids['ECC_SECG_P256K1']}.json`))).mode & 0o777;
    expect(mode).toBe(0o600);
    const again = await startLocalKms({ dir, port: 0, credentials: CREDENTIALS });
    const other = new KMSClient({ region: 'us-east-1', endpoint: again.url, credentials: CREDENTIALS });
    try {
      const { PublicKey: second } = await other.send(new GetPublicKeyCommand({ KeyId: ids['ECC_SECG_P256K1'] }));
      expect(Buffer.from(second!).equals(Buffer.from(first!))).toBe(true);
    } finally {
      other.destroy();
      await again.close();
    }
  });
});
