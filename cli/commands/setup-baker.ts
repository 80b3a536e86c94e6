import { parseArgs } from 'node:util';
import { EXIT, UsageError, type Command } from '../command.js';
import { printJson } from '../aws.js';
import { parseKeyHash } from '../../lambda/src/keys.js';
import { signerUrl } from './check.js';

const usage = `tezos-signer setup-baker --url URL [--pkh PKH] [--delegate ALIAS_OR_TZ] [--alias NAME]
                          [--auth-alias NAME] [--json]

Prints the octez sequence that makes a baker sign through this signer: the authorized key, the remote
consensus key, its registration for the delegate, and the baker's command. Without --pkh, the pkh is
read from URL/known_keys (when the signer serves exactly one key).
`;

export interface Step {
  what: string;
  command: string;
  note?: string;
}

export function bakerSteps(url: string, pkh: string, delegate: string, alias: string, authAlias: string): Step[] {
  const base = url.replace(/\/+$/, '');
  return [
    {
      what: 'import the authorized key (the one whose public key is in the signer\'s authorized_keys)',
      command: `octez-client import secret key ${authAlias} unencrypted:<spsk… from \`tezos-signer authorized-key new\`>`,
      note: 'octez-client finds it through GET /authorized_keys and signs each request\'s `authentication` with it',
    },
    { what: 'import the consensus key, held by the signer', command: `octez-client import secret key ${alias} ${base}/${pkh}` },
    { what: 'check that the signer answers for it', command: `octez-client show address ${alias}` },
    {
      what: `register it as the consensus key of ${delegate}`,
      command: `octez-client set consensus key for ${delegate} to ${alias}`,
      note: 'takes effect after CONSENSUS_KEY_ACTIVATION_DELAY + 1 cycles (a protocol constant; a few days on mainnet): keep the current key baking until then',
    },
    {
      what: `run the baker with the consensus key ${alias} and, until the change takes effect, ${delegate}'s current key`,
      // octez docs, key-management "Baking With a Consensus Key": the baker takes the consensus key alias
      // (not the delegate's), and both aliases during the transition; it signs with whichever is active.
      command: `octez-baker run with local node ~/.tezos-node ${alias} ${delegate} --liquidity-baking-toggle-vote pass --dal-node http://127.0.0.1:10732`,
      note: `octez-baker signs with the consensus key once it is active; ${delegate} may be dropped after that. Without a DAL node, replace --dal-node … with --without-dal`,
    },
    { what: 'verify the deployment without advancing any watermark', command: `tezos-signer check ${base} --authorized-key-file <file of the authorized secret key>` },
  ];
}

async function knownKeys(url: string): Promise<string[]> {
  const response = await fetch(`${url.replace(/\/+$/, '')}/known_keys`);
  if (!response.ok) throw new Error(`GET ${url}/known_keys: HTTP ${response.status}`);
  return ((await response.json()) as { known_keys: string[] }).known_keys;
}

export const setupBaker: Command = {
  name: 'setup-baker',
  summary: 'print the octez commands that connect a baker to this signer',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        pkh: { type: 'string' },
        delegate: { type: 'string', default: '<your delegate alias or tz address>' },
        alias: { type: 'string', default: 'consensus' },
        'auth-alias': { type: 'string', default: 'signer-auth' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.url) throw new UsageError('--url is required (the signer URL: terraform output signer_url)');
    signerUrl(values.url);
    if (values.pkh !== undefined && parseKeyHash(values.pkh) === undefined) throw new UsageError(`--pkh: not a tz1/tz2/tz3 address: ${values.pkh}`);
    let pkh = values.pkh;
    if (pkh === undefined) {
      let keys: string[];
      try {
        keys = await knownKeys(values.url);
      } catch (error) {
        process.stderr.write(`tezos-signer setup-baker: ${(error as Error).message}\n`);
        return EXIT.unreachable;
      }
      if (keys.length !== 1) throw new UsageError(`the signer serves ${keys.length} keys (${keys.join(', ')}): pick one with --pkh`);
      pkh = keys[0]!;
    }
    if (parseKeyHash(pkh) === undefined) throw new UsageError(`--pkh: not a tz1/tz2/tz3 address: ${pkh}`);
    const steps = bakerSteps(values.url, pkh, values.delegate!, values.alias!, values['auth-alias']!);
    if (values.json) {
      printJson({ url: values.url, pkh, steps });
      return EXIT.ok;
    }
    steps.forEach((s, i) => process.stdout.write(`${i + 1}. ${s.what}\n   ${s.command}\n${s.note ? `   (${s.note})\n` : ''}`));
    return EXIT.ok;
  },
};
