import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { EXIT, type Command } from '../command.js';
import { kmsTarget, printJson } from '../aws.js';
import { awsFailure } from '../aws-errors.js';
import { consensusKeys } from '../kms-keys.js';

const usage = `tezos-signer keys [--kms-key-id ID ...] [--region R | --data-dir DIR] [--json]

Lists the consensus keys of a deployment from KMS: tz address (pkh), public key, key id, curve.
Without --kms-key-id, every enabled SIGN_VERIFY key of a supported spec in the account and region
(ListKeys). Credentials and region come from the standard AWS chain (AWS_PROFILE, AWS_REGION, ...);
without a region it stops with exit code 2.
--data-dir DIR reads the embedded stack of \`serve\` instead (npm start uses .signer-data); it must exist.
Exit codes: 0 listed; 2 usage (no region, no stack at DIR); 3 KMS unreachable; 4 a key that does not
exist or cannot be used (disabled, access denied).
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
      const rows = await consensusKeys(target.client, values['kms-key-id'] ?? []);
      if (values.json) printJson(rows);
      else if (rows.length === 0) process.stdout.write(`no consensus key found (${target.where})\n`);
      else for (const r of rows) process.stdout.write(`${r.pkh}  ${r.curve.padEnd(9)}  ${r.publicKey}\n  key ${r.keyId}\n`);
      return EXIT.ok;
    } catch (error) {
      throw awsFailure(target.where, error);
    } finally {
      await target.close();
    }
  },
};
