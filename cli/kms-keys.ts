// The consensus keys a KMS holds (or the ones named), as the signer serves them: pkh, public key, id.
import { DescribeKeyCommand, GetPublicKeyCommand, ListKeysCommand, type KMSClient } from '@aws-sdk/client-kms';
import { publicKeyFromSpki } from '../lambda/src/keys.js';

export interface ConsensusKey {
  pkh: string;
  publicKey: string;
  keyId: string;
  curve: string;
}

const SPECS = ['ECC_SECG_P256K1', 'ECC_NIST_P256', 'ECC_NIST_EDWARDS25519'];

/** Without ids: every enabled SIGN_VERIFY key of a supported spec (ListKeys, first page of 1,000). */
export async function consensusKeys(client: KMSClient, ids: string[]): Promise<ConsensusKey[]> {
  let chosen = ids;
  if (chosen.length === 0) {
    const { Keys = [] } = await client.send(new ListKeysCommand({ Limit: 1000 }));
    const described = await Promise.all(Keys.map((k) => client.send(new DescribeKeyCommand({ KeyId: k.KeyId! }))));
    chosen = described
      .map((d) => d.KeyMetadata)
      .filter((m) => m?.KeyUsage === 'SIGN_VERIFY' && SPECS.includes(m.KeySpec ?? '') && m.KeyState === 'Enabled')
      .map((m) => m!.KeyId!);
  }
  return Promise.all(
    chosen.map(async (id) => {
      const { PublicKey, KeyId } = await client.send(new GetPublicKeyCommand({ KeyId: id }));
      const key = publicKeyFromSpki(PublicKey!);
      return { pkh: key.pkh.encoded, publicKey: key.encoded, keyId: KeyId ?? id, curve: key.curve };
    }),
  );
}
