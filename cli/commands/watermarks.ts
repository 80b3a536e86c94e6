import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ConditionalCheckFailedException, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { EXIT, UsageError, type Command } from '../command.js';
import { dynamoTarget, kmsTarget, printJson } from '../aws.js';
import { awsFailure } from '../aws-errors.js';
import { consensusKeys } from '../kms-keys.js';
import { PREFIX, b58decode } from '../../lambda/src/base58.js';
import { parseKeyHash } from '../../lambda/src/keys.js';
import { DynamoWatermarkStore } from '../../lambda/src/watermark-store.js';
import { OPERATOR_DIGEST, watermarkKey } from '../../lambda/src/watermark.js';
import type { Kind } from '../../lambda/src/operation.js';

const usage = `tezos-signer watermarks show [--pkh PKH] [--chain NET] [--json]      (where: --table T [--region R] | --data-dir DIR)
tezos-signer watermarks set --pkh PKH --chain NET --kind block|preattestation|attestation
                            --level L --round R [--kms-key-id ID ...] [--force] [--yes]   (where: as above)

show: the watermark items: per consensus key, chain and kind, the highest level and round signed.
set:  raises one watermark, never lowers it (the same conditional write as the signer: refused unless the
      stored position is absent or strictly below). For a key migration: import the position the old
      signer reached, so that nothing at or below it can be signed again by this one.
      Danger: a watermark set above the chain's head stops that kind of signature until the chain passes
      it, and this tool cannot lower it again. Asks you to type the pkh to confirm, unless --yes.
      PKH must be a key the signer serves: one of the consensus keys in KMS (the account and region's,
      or the --kms-key-id given; with --data-dir, the embedded stack's). A watermark for another key
      protects nothing (a typo, or the old signer's key): refused with exit code 2 unless --force.
      Without a terminal (a script, a pipe) there is nobody to type it: --yes is then required, and
      without it the command stops with exit code 2 before it reaches KMS or DynamoDB.
Exit codes: 0 done; 1 refused (not above the stored watermark, or the pkh typed did not match);
2 usage (a bad flag or value, no terminal and no --yes, a pkh the signer does not serve); 3 unreachable;
4 a KMS key or table that does not exist or cannot be used.
--data-dir works on the embedded stack of \`serve\` while that is stopped (its database allows one process).
`;


interface Row {
  pkh: string;
  chainId: string;
  kind: string;
  level: number;
  round: number;
  operatorSet: boolean;
  updatedAt: string;
}

function rowOf(item: Record<string, AttributeValue>): Row {
  return {
    pkh: item['pkh']?.S ?? '',
    chainId: item['chain_id']?.S ?? '',
    kind: item['kind']?.S ?? '',
    level: Number(item['level']?.N),
    round: Number(item['round']?.N),
    operatorSet: item['digest']?.S === OPERATOR_DIGEST,
    updatedAt: item['updated_at']?.S ?? '',
  };
}

const where = {
  table: { type: 'string' },
  region: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

async function show(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...where, pkh: { type: 'string' }, chain: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const target = await dynamoTarget({ dataDir: values['data-dir'] ? resolve(values['data-dir']) : undefined, region: values.region, table: values.table });
  try {
    const rows: Row[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await target.client.send(new ScanCommand({ TableName: target.table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) rows.push(rowOf(item));
      start = page.LastEvaluatedKey;
    } while (start);
    const selected = rows
      .filter((r) => (values.pkh === undefined || r.pkh === values.pkh) && (values.chain === undefined || r.chainId === values.chain))
      .sort((a, b) => `${a.pkh}${a.chainId}${a.kind}`.localeCompare(`${b.pkh}${b.chainId}${b.kind}`));
    if (values.json) printJson(selected);
    else if (selected.length === 0) process.stdout.write(`no watermark yet (${target.where})\n`);
    else for (const r of selected) process.stdout.write(`${r.pkh}  ${r.chainId}  ${r.kind.padEnd(14)}  level ${r.level} round ${r.round}${r.operatorSet ? '  (set by an operator)' : ''}  ${r.updatedAt}\n`);
    return EXIT.ok;
  } catch (error) {
    throw awsFailure(target.where, error);
  } finally {
    await target.close();
  }
}

function integer(name: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || !Number.isSafeInteger(value) || value < 0 || value > 0x7fffffff) throw new UsageError(`--${name}: a non-negative int32 is required`);
  return value;
}

/** The pkh must be one of the signer's keys: a watermark for any other key guards nothing. */
async function assertServed(pkh: string, options: { dataDir?: string; region?: string; kmsKeyIds: string[] }): Promise<void> {
  const target = await kmsTarget({ dataDir: options.dataDir, region: options.region });
  let served: string[];
  try {
    served = (await consensusKeys(target.client, options.kmsKeyIds)).map((k) => k.pkh);
  } catch (error) {
    throw awsFailure(target.where, error);
  } finally {
    await target.close();
  }
  if (!served.includes(pkh)) {
    throw new UsageError(
      `--pkh ${pkh} is not a key the signer serves (${target.where}: ${served.length > 0 ? served.join(', ') : 'no consensus key'}); a watermark for it would protect nothing. Check the pkh, give the signer's keys with --kms-key-id, or --force to write it anyway`,
    );
  }
}

async function set(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...where,
      pkh: { type: 'string' },
      chain: { type: 'string' },
      kind: { type: 'string' },
      level: { type: 'string' },
      round: { type: 'string' },
      'kms-key-id': { type: 'string', multiple: true },
      force: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const pkh = values.pkh;
  if (!pkh || parseKeyHash(pkh) === undefined) throw new UsageError('--pkh: the consensus key\'s tz address is required');
  if (!values.chain || b58decode(PREFIX.chainId, values.chain) === undefined) throw new UsageError('--chain: a chain id (NetXdQprcVkpaWU for mainnet) is required');
  const kind = values.kind as Kind;
  if (!['block', 'preattestation', 'attestation'].includes(kind)) throw new UsageError('--kind: block, preattestation or attestation');
  const level = integer('level', values.level);
  const round = integer('round', values.round);
  // Before any AWS call: a script without --yes can never confirm.
  if (!values.yes && !process.stdin.isTTY) throw new UsageError('confirmation needed and stdin is not a terminal: pass --yes');
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : undefined;
  if (!values.force) await assertServed(pkh, { dataDir, region: values.region, kmsKeyIds: values['kms-key-id'] ?? [] });

  if (!values.yes) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Raise the ${kind} watermark of ${pkh} on ${values.chain} to level ${level} round ${round}?\nIt can never be lowered. Type the pkh to confirm: `);
    rl.close();
    if (answer.trim() !== pkh) {
      process.stderr.write('not confirmed: nothing written\n');
      return EXIT.failed;
    }
  }
  const target = await dynamoTarget({ dataDir, region: values.region, table: values.table });
  try {
    const store = new DynamoWatermarkStore(target.client, target.table);
    const key = watermarkKey(pkh, values.chain, kind);
    const written = await store.advance(key, { level, round, digest: OPERATOR_DIGEST, signature: 'none (set by an operator)' }, { pkh, chainId: values.chain, kind });
    if (!written) {
      const now = await store.read(key).catch(() => undefined);
      process.stderr.write(`refused: the stored ${kind} watermark (${now ? `level ${now.level} round ${now.round}` : 'unreadable'}) is not below level ${level} round ${round}; a watermark is never lowered\n`);
      return EXIT.failed;
    }
    process.stdout.write(`${kind} watermark of ${pkh} on ${values.chain} is now level ${level} round ${round}\n`);
    return EXIT.ok;
  } catch (error) {
    throw awsFailure(target.where, error);
  } finally {
    await target.close();
  }
}

export const watermarks: Command = {
  name: 'watermarks',
  summary: 'show the watermarks, or raise one (`watermarks set`, for a key migration)',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'show') return show(rest);
    if (sub === 'set') return set(rest);
    throw new UsageError('expected `watermarks show` or `watermarks set`');
  },
};
