import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError, type Command } from '../command.js';
import { onStdoutClosed } from '../stdout.js';
import { startSigner } from '../serve.js';
import { assertDynalite, dynaliteMissing } from '../aws.js';
import { holderOf } from '../data-lock.js';
import { assertPortFree } from '../port.js';
import { filterRequestLogs, logFormat } from '../request-log.js';
import { parseSecretKey } from '../../local/secret-keys.js';
import { parsePublicKey } from '../../lambda/src/keys.js';
import { PREFIX, b58decode } from '../../lambda/src/base58.js';
import { signedHeadersFor } from '../../local/sigv4-sign.js';
import type { FunctionUrlIam } from '../../local/function-url-auth.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The committed bundle, whether this runs from cli/ (sources) or dist/ (the built CLI). */
export const DEFAULT_BUNDLE = resolve(here, here.endsWith('commands') ? '../../lambda/dist/handler.mjs' : '../lambda/dist/handler.mjs');

/** Mainnet's chain id: the default allow-list, as the Terraform module's allowed_chain_ids. */
export const MAINNET = 'NetXdQprcVkpaWU';

const usage = `tezos-signer serve [options]

Starts the signer (the bundled Lambda handler) behind a local HTTP server.

Without --kms-key-id: an embedded stack (DynamoDB: dynalite; KMS: a local endpoint), kept under
--data-dir. The first start creates a tz2 consensus key and an authorized key.
With --kms-key-id and --table: real AWS, credentials from the standard chain (AWS_PROFILE, ...).
Before it listens, each KMS key must answer GetPublicKey with a signing key of a Tezos curve and the
table must answer a GetItem: otherwise it stops with exit code 4 (3 when AWS does not answer).

It answers only Host headers naming its address (DNS rebinding), and GET /health with {"status":"ok"}
without reaching AWS or the watermark.

Options:
  --port N               listen port (env SIGNER_PORT, default 6732)
  --host IP              listen address, an IP address (default 127.0.0.1; 0.0.0.0 or :: for all)
  --data-dir DIR         embedded stack data (env SIGNER_DATA_DIR, default .signer-data)
  --kms-key-id ID        a KMS key id or ARN to serve (repeatable; env SIGNER_KMS_KEY_IDS)
  --table NAME           DynamoDB watermark table (env SIGNER_TABLE_NAME)
  --region R             AWS region (env AWS_REGION; else the AWS profile's)
  --authorized-key PK    authorized public key (repeatable; env SIGNER_AUTHORIZED_KEYS, comma-separated)
  --allowed-chain-id ID  the chains it signs for (repeatable; env SIGNER_ALLOWED_CHAIN_IDS,
                         comma-separated); default ${MAINNET} (mainnet) only, as the Terraform
                         module; \`any\` for every chain
  --bundle FILE          handler bundle to run (default lambda/dist/handler.mjs)
  --function-url-auth A  none (default) or aws_iam: the front stands in for a Function URL with
                         authorization AWS_IAM. Every request (GET /health aside) must carry a SigV4
                         signature for service lambda, made with the invoker credentials this start
                         creates and prints; any other request gets 403 {"Message":"Forbidden"} before
                         the handler runs, as AWS refuses it before invoking (and billing) the function.
                         GET /health then also reports handler_invocations. octez-client then goes
                         through \`failover --sign-sigv4\`, which signs (the guide prints its line).
  --json                 print the start-up facts as one JSON line instead of the guide
  --json-logs            one JSON line per request (the Lambda log format, with its metrics) even on a
                         terminal; without it a terminal gets one short line per request (time, kind,
                         level and round, outcome, ms), and a pipe or file gets the JSON lines

It runs until SIGINT or SIGTERM (exit 0), or until the reader of its stdout goes away.
Exit codes: 0 stopped; 1 failed; 2 usage (a bad flag or value, a taken port); 3 unreachable (AWS did
not answer, or another serve holds --data-dir); 4 a KMS key or table that does not exist or cannot be
used (disabled, not a signing key, access denied, another key schema). 2 and 4 do not heal on a
restart: deploy/tezos-signer.service does not restart on them.
`;

function list(values: string[] | undefined, env: string | undefined): string[] | undefined {
  if (values && values.length > 0) return values;
  const fromEnv = (env ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return fromEnv.length > 0 ? fromEnv : undefined;
}

/** Public keys only; a secret key given by mistake is named by its kind, never echoed. */
function publicKeys(keys: string[] | undefined): string[] | undefined {
  keys?.forEach((key, i) => {
    if (/^(edsk|spsk|p2sk)/.test(key)) throw new UsageError(`--authorized-key #${i + 1} is a secret key (${key.slice(0, 4)}…): give its public key (edpk/sppk/p2pk), which \`authorized-key new\` prints`);
    try {
      parsePublicKey(key);
    } catch {
      throw new UsageError(`--authorized-key #${i + 1} is not a public key (edpk/sppk/p2pk): ${key.slice(0, 12)}…`);
    }
  });
  return keys;
}

/** The chain allow-list: mainnet unless given; undefined (every chain) only when asked with `any`. */
function chainIds(ids: string[] | undefined): string[] | undefined {
  if (ids === undefined) return [MAINNET];
  if (ids.includes('any')) {
    if (ids.length > 1) throw new UsageError('--allowed-chain-id: `any` cannot be combined with chain ids');
    return undefined;
  }
  for (const id of ids) if (b58decode(PREFIX.chainId, id) === undefined) throw new UsageError(`--allowed-chain-id: not a chain id (Net…): ${id}`);
  return ids;
}

/** GET through the front; signed as the baker's proxy would when the front wants AWS_IAM. */
async function getJson(url: string, iam: FunctionUrlIam | undefined): Promise<unknown> {
  const headers = iam ? { ...signedHeadersFor({ method: 'GET', url: new URL(url), body: new Uint8Array() }, iam.credentials, { region: iam.region, service: 'lambda' }) } : {};
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

export const serve: Command = {
  name: 'serve',
  summary: 'run the signer locally (embedded stack, or real AWS with --kms-key-id/--table)',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string' },
        'kms-key-id': { type: 'string', multiple: true },
        table: { type: 'string' },
        region: { type: 'string' },
        'authorized-key': { type: 'string', multiple: true },
        'allowed-chain-id': { type: 'string', multiple: true },
        bundle: { type: 'string' },
        json: { type: 'boolean', default: false },
        'json-logs': { type: 'boolean', default: false },
        'function-url-auth': { type: 'string', default: 'none' },
      },
      strict: true,
    });
    const port = Number(values.port ?? process.env['SIGNER_PORT'] ?? 6732);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: not a port number: ${values.port ?? process.env['SIGNER_PORT']}`);
    const kmsKeyIds = list(values['kms-key-id'], process.env['SIGNER_KMS_KEY_IDS']);
    const tableName = values.table ?? process.env['SIGNER_TABLE_NAME'];
    if ((kmsKeyIds === undefined) !== (tableName === undefined)) {
      throw new UsageError('real AWS needs both --kms-key-id and --table (or neither, for the embedded stack)');
    }
    const dataDir = resolve(values['data-dir'] ?? process.env['SIGNER_DATA_DIR'] ?? '.signer-data');
    const aws = kmsKeyIds && tableName ? { kmsKeyIds, tableName, ...(values.region ? { region: values.region } : {}) } : undefined;
    const authorizedKeys = publicKeys(list(values['authorized-key'], process.env['SIGNER_AUTHORIZED_KEYS']));
    const allowedChainIds = chainIds(list(values['allowed-chain-id'], process.env['SIGNER_ALLOWED_CHAIN_IDS']));
    if (aws && !authorizedKeys) throw new UsageError('real AWS needs --authorized-key PK (or SIGNER_AUTHORIZED_KEYS): the signer refuses to start without one');
    const host = values.host ?? '127.0.0.1';
    if (isIP(host) === 0) throw new UsageError(`--host: an IP address (127.0.0.1, ::1, 0.0.0.0), not ${host}: the signer answers only Host headers that name its address`);
    const functionUrlAuth = values['function-url-auth'];
    if (functionUrlAuth !== 'none' && functionUrlAuth !== 'aws_iam') throw new UsageError(`--function-url-auth: none or aws_iam, not ${functionUrlAuth}`);
    const bundle = values.bundle ?? DEFAULT_BUNDLE;
    if (!existsSync(bundle)) throw new UsageError(`--bundle ${bundle}: no such file`);
    // Everything that can refuse the start is asked before the first start creates keys.
    if (!aws) {
      assertDynalite('serve without --kms-key-id');
      const busy = await holderOf(dataDir);
      if (busy) throw busy;
    }
    await assertPortFree(port, host);
    const logs = filterRequestLogs(process.stdout, logFormat({ isTTY: process.stdout.isTTY, jsonLogs: values['json-logs'] }));
    logs.mute(true); // serve's own start-up requests below are not the operator's
    const signer = await startSigner({ port, host, dataDir, aws, authorizedKeys, allowedChainIds, bundle, functionUrlAuth }).catch((error: unknown) => {
      logs.restore();
      throw dynaliteMissing(error, 'serve without --kms-key-id') ?? error;
    });

    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`\n${signal}: stopping the signer\n`);
      signer.close().then(
        () => process.exit(EXIT.ok),
        () => process.exit(EXIT.failed),
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    // Nobody reads its log lines any more (`serve | head`): a signer without its audit trail stops.
    onStdoutClosed(() => stop('stdout closed'));

    // Ask the running signer itself: what it serves is what it answers, not what we think we set.
    let keys: { pkh: string; publicKey: string }[];
    try {
      const { known_keys: pkhs } = (await getJson(`${signer.url}/known_keys`, signer.functionUrlIam)) as { known_keys: string[] };
      keys = await Promise.all(
        pkhs.map(async (pkh) => ({ pkh, publicKey: ((await getJson(`${signer.url}/keys/${pkh}`, signer.functionUrlIam)) as { public_key: string }).public_key })),
      );
    } catch (error) {
      // Never a listening signer behind a failed start.
      await signer.close();
      throw error;
    }
    const chains = signer.env['SIGNER_ALLOWED_CHAIN_IDS'] ? signer.env['SIGNER_ALLOWED_CHAIN_IDS'].split(',') : undefined;
    const authorized = signer.stack ? parseSecretKey(signer.stack.state.authorizedSecretKey) : undefined;
    const usingLocalAuthorizedKey = authorized !== undefined && signer.env['SIGNER_AUTHORIZED_KEYS'] === authorized.publicKey.encoded;
    const iam = signer.functionUrlIam;
    const functionUrl = iam
      ? { authType: 'AWS_IAM', region: iam.region, invoker: { accessKeyId: iam.credentials.accessKeyId, secretAccessKey: iam.credentials.secretAccessKey } }
      : { authType: 'NONE' };
    if (values.json) {
      process.stdout.write(JSON.stringify({ url: signer.url, keys, authorizedKeys: signer.env['SIGNER_AUTHORIZED_KEYS']!.split(','), allowedChainIds: chains ?? 'any', dataDir: signer.stack ? dataDir : undefined, functionUrl }) + '\n');
      logs.mute(false);
      return new Promise<number>(() => undefined);
    }
    const lines = [
      `Tezos signer listening on ${signer.url}`,
      signer.stack
        ? `  embedded stack under ${dataDir}${signer.stack.created ? ' (created now: new consensus key and authorized key)' : ''}`
        : `  AWS: table ${signer.env['SIGNER_TABLE_NAME']}, region ${signer.env['AWS_REGION']}`,
      `  signs for ${chains ? `chain ${chains.map((c) => (c === MAINNET ? `${c} (mainnet)` : c)).join(', ')} only (--allowed-chain-id to change)` : 'every chain (--allowed-chain-id any)'}`,
      ...(iam
        ? [
            `  stands in for a Function URL with authorization AWS_IAM: unsigned requests get 403 before the handler`,
            `  its invoker credentials (this start only), for the baker host's proxy:`,
            `    AWS_ACCESS_KEY_ID=${iam.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${iam.credentials.secretAccessKey} \\`,
            `      tezos-signer failover --upstream ${signer.url} --sign-sigv4 --region ${iam.region}`,
          ]
        : []),
      '',
      ...keys.flatMap((k) => [`  consensus key ${k.pkh}`, `    public key  ${k.publicKey}`]),
      '',
      'Configure octez-client (or the baker host) to use it:',
      ...(usingLocalAuthorizedKey
        ? [
            '  # 1. the authorized key, which authenticates each signing request',
            `  octez-client import secret key signer-auth unencrypted:${authorized.encoded}`,
          ]
        : ['  # 1. import the secret key of one of the authorized keys into octez-client', `  #    authorized: ${signer.env['SIGNER_AUTHORIZED_KEYS']}`]),
      '  # 2. the consensus key, held by the signer',
      // With AWS_IAM octez-client cannot sign SigV4 itself: it goes through the proxy (default port 6733).
      ...keys.map((k, i) => `  octez-client import secret key ${i === 0 ? 'consensus' : `consensus-${i + 1}`} ${iam ? 'http://127.0.0.1:6733' : signer.url}/${k.pkh}`),
      '',
      'It signs only blocks, preattestations and attestations, once per level and round. Ctrl-C stops it.',
      ...(signer.stack
        ? [
            'This embedded stack (keys as files, a local DynamoDB) is for trying the signer, not for baking:',
            'bake from this host with `serve --kms-key-id <key> --table <watermark table>` (real KMS and DynamoDB).',
          ]
        : []),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    logs.mute(false);
    return new Promise<number>(() => undefined); // runs until a signal
  },
};
