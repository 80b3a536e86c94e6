import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { GetPublicKeyCommand, ListKeysCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { EXIT, type Command } from '../command.js';
import { kmsTarget, printJson } from '../aws.js';
import { publicKeyFromSpki } from '../../lambda/src/keys.js';

const usage = `tezos-signer keys [--kms-key-id ID ...] [--region R | --data-dir DIR] [--json]

Lists the consensus keys of a deployment from KMS: tz address (pkh), public key, key id, curve.
Without --kms-key-id, every SIGN_VERIFY key of a supported spec in the account and region (ListKeys).
--data-dir reads the embedded stack of \`serve\` (default folder .signer-data when no AWS flag is given
and the folder exists). Credentials and region come from the standard AWS chain.
`;

export const keys: Command = {
  name: 'keys',
  summary: 'list the consensus keys (pkh, public key, key id, curve) from KMS or the local KMS',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { 'kms-key-id': { type: 'string', multiple: true }, region: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    const dataDir = values['data-dir'] ? resolve(values['data-dir']) : undefined;
    const target = await kmsTarget({ dataDir, region: values.region });
    try {
      let ids = values['kms-key-id'] ?? [];
      if (ids.length === 0) {
        const { Keys = [] } = await target.client.send(new ListKeysCommand({}));
        const described = await Promise.all(Keys.map((k) => target.client.send(new DescribeKeyCommand({ KeyId: k.KeyId! }))));
        ids = described
          .map((d) => d.KeyMetadata)
          .filter((m) => m?.KeyUsage === 'SIGN_VERIFY' && ['ECC_SECG_P256K1', 'ECC_NIST_P256', 'ECC_NIST_EDWARDS25519'].includes(m.KeySpec ?? '') && m.KeyState === 'Enabled')
          .map((m) => m!.KeyId!);
      }
      const rows = await Promise.all(
        ids.map(async (id) => {
          const { PublicKey, KeyId } = await target.client.send(new GetPublicKeyCommand({ KeyId: id }));
          const key = publicKeyFromSpki(PublicKey!);
          return { pkh: key.pkh.encoded, publicKey: key.encoded, keyId: KeyId ?? id, curve: key.curve };
        }),
      );
      if (values.json) printJson(rows);
      else if (rows.length === 0) process.stdout.write(`no consensus key found (${target.where})\n`);
      else for (const r of rows) process.stdout.write(`${r.pkh}  ${r.curve.padEnd(9)}  ${r.publicKey}\n  key ${r.keyId}\n`);
      return EXIT.ok;
    } catch (error) {
      process.stderr.write(`tezos-signer keys: ${target.where}: ${(error as Error).name}: ${(error as Error).message}\n`);
      return EXIT.unreachable;
    } finally {
      await target.close();
    }
  },
};
