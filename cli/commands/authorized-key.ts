import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { EXIT, UsageError, type Command } from '../command.js';
import { printJson } from '../aws.js';
import { generateSecretKey } from '../../local/secret-keys.js';
import type { Curve } from '../../lambda/src/keys.js';

const usage = `tezos-signer authorized-key new [--curve secp256k1|p256|ed25519] [--alias NAME] [--out FILE] [--json]

Generates the baker's authorized key: the key octez-client uses to authenticate every signing request.
Prints the public key, for the Terraform variable authorized_keys (or SIGNER_AUTHORIZED_KEYS), and the
octez-client command that imports the secret key on the baker host. The secret key belongs on the baker
host only: with --out it is written to FILE (mode 0600, never overwritten) instead of the terminal.
Exit codes: 0 written; 2 usage (FILE exists, or its folder does not).
`;

export const authorizedKey: Command = {
  name: 'authorized-key',
  summary: 'generate the baker\'s authorized key (`authorized-key new`)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { curve: { type: 'string', default: 'secp256k1' }, alias: { type: 'string', default: 'signer-auth' }, out: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals[0] !== 'new' || positionals.length !== 1) throw new UsageError('expected `authorized-key new`');
    const curve = values.curve as Curve;
    if (!['secp256k1', 'p256', 'ed25519'].includes(curve)) throw new UsageError(`--curve: one of secp256k1, p256, ed25519 (got ${values.curve})`);
    const key = generateSecretKey(curve);
    const importCommand = `octez-client import secret key ${values.alias} unencrypted:${values.out ? `$(cat ${values.out})` : key.encoded}`;
    if (values.out) {
      try {
        await writeFile(values.out, key.encoded + '\n', { mode: 0o600, flag: 'wx' });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError(`--out ${values.out}: ${code === 'EEXIST' ? 'the file exists (never overwritten): choose another path' : code === 'ENOENT' ? 'its folder does not exist' : (error as Error).message}`);
      }
    }
    const facts = { publicKey: key.publicKey.encoded, pkh: key.publicKey.pkh.encoded, curve, secretKeyFile: values.out, secretKey: values.out ? undefined : key.encoded, importCommand };
    if (values.json) {
      printJson(facts);
      return EXIT.ok;
    }
    process.stdout.write(
      [
        `authorized key ${key.publicKey.pkh.encoded} (${curve})`,
        '',
        'Public key, for Terraform (authorized_keys = [...]) or SIGNER_AUTHORIZED_KEYS:',
        `  ${key.publicKey.encoded}`,
        '',
        'On the baker host only, import the secret key into octez-client:',
        `  ${importCommand}`,
        values.out ? `(secret key written to ${values.out}, mode 0600)` : '(this is the only copy of the secret key: store it on the baker host, nowhere else)',
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  },
};
