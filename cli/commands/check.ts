import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { EXIT, UsageError, type Command } from '../command.js';
import { printJson } from '../aws.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { blake2b256 } from '../../lambda/src/hash.js';
import { parseKeyHash, parsePublicKey, type KeyHash, type PublicKey } from '../../lambda/src/keys.js';
import { selfTestPayload } from '../../lambda/src/self-test.js';
import { decodeSignature, verifySignature } from '../../lambda/src/signature.js';
import { authenticationFor, parseSecretKey, type SecretKey } from '../../local/secret-keys.js';

const usage = `tezos-signer check <url> (--authorized-key-file F | --authorized-secret-key SK) [--pkh PKH] [--json]

Proves that a deployed signer can sign, and refuses what it must, without moving a watermark a baker
uses:
  - GET /authorized_keys serves the authorized key's pkh
  - GET /known_keys lists the consensus key(s); GET /keys/<pkh> serves a public key that hashes to it
  - POST of a transfer (magic 0x03), correctly authenticated: refused with 403 by the payload policy
  - the self-test: an authenticated attestation at level 0 of chain 0x00000000 (no network's) is signed
    through the whole path, the watermark table read, KMS Sign and the conditional write, and the
    signature verifies against the public key; a failure names the broken part (the table missing or
    unreadable, the table not writable, the key disabled or not signable by the role). It writes only
    its own watermark item, never a baker's (docs/security.md, "The self-test of check")
  - POST of a consensus payload without authentication: refused with 401
The transfer and the self-test are skipped when the signer does not list the authorized key: they would
only fail authentication, and count as an attack in the AuthFailures metric.
Prints the latency of each call. Exit 0: all as expected; 1: an expectation failed (or was skipped);
2: usage; 3: unreachable.
The unauthenticated probe counts one AuthFailures per consensus key and run: with the module's default
alarm (more than 5 in 5 minutes), run check by hand or at most once a minute.
`;

/** A transfer-shaped payload: magic 0x03, then bytes. The signer must refuse it at its first check. */
const TRANSFER = '03' + '5a'.repeat(32) + '6c00' + '11'.repeat(60);
/** An attestation at level 0 that is never authenticated: refused with 401 before any parsing. */
const UNAUTHENTICATED = '13' + '00'.repeat(36) + '15' + '00'.repeat(42);

interface Result {
  check: string;
  ok: boolean;
  /** Not run: a precondition failed (the line says which); a skipped check does not pass. */
  skipped?: boolean;
  detail: string;
  ms: number;
}

/** The `msg` of an octez-shaped error body, or the body as text. */
function errorMessage(body: unknown): string {
  if (Array.isArray(body) && typeof (body[0] as { msg?: unknown } | undefined)?.msg === 'string') return (body[0] as { msg: string }).msg;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

const POLICY_REFUSAL = 'an authenticated transfer is refused by the payload policy (403)';
const SELF_TEST = 'the self-test is signed through the watermark table and KMS, and verifies';

/**
 * The part of the deployment a failed self-test points at, from the signer's answer (the messages of
 * lambda/src/watermark-store.ts and kms.ts).
 */
export function brokenPart(status: number, message: string): string {
  if (/^DynamoDB read/.test(message)) return `the watermark table is missing or the signer role cannot read it: ${message}`;
  if (/^DynamoDB write/.test(message)) return `the signer role cannot write the watermark table: ${message}`;
  if (/^KMS Sign failed/.test(message)) return `KMS does not sign with the key: it is disabled, pending deletion, or the signer role may not kms:Sign it: ${message}`;
  if (/^KMS (GetPublicKey|key)/.test(message)) return `KMS does not serve the key's public key: ${message}`;
  if (/^KMS Sign returned/.test(message)) return `KMS answered with an unusable signature: ${message}`;
  if (status === 403 && /allowed chains/.test(message)) return `the signer refuses the self-test position: it runs a version without the self-test (upgrade it): ${message}`;
  return `HTTP ${status}: ${message}`;
}

/** One self-test at the current second; a second try a second later if a check at this second already ran. */
async function selfTest(base: string, pkh: string, hash: KeyHash, key: SecretKey, publicKey: PublicKey): Promise<Omit<Result, 'check'>> {
  let last = { status: 0, body: undefined as unknown, ms: 0 };
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1_100));
    const payload = selfTestPayload(Math.floor(Date.now() / 1000));
    const authentication = authenticationFor(key, hash, payload);
    last = await call(`${base}/keys/${pkh}?authentication=${encodeURIComponent(authentication)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(toHex(payload)) });
    if (last.status === 409) continue;
    const signature = (last.body as { signature?: unknown }).signature;
    if (last.status === 200 && typeof signature === 'string') {
      const decoded = decodeSignature(signature);
      const verifies = decoded !== undefined && verifySignature(publicKey, blake2b256(payload), decoded.bytes);
      return { ok: verifies, detail: verifies ? signature : `the signature ${signature} does not verify against ${publicKey.encoded}`, ms: last.ms };
    }
    return { ok: false, detail: brokenPart(last.status, errorMessage(last.body)), ms: last.ms };
  }
  return { ok: false, detail: `HTTP 409 twice: the self-test position is already above this second (another check running, or this host's clock behind): ${errorMessage(last.body)}`, ms: last.ms };
}

async function call(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; ms: number }> {
  const start = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* text */
  }
  return { status: response.status, body, ms: performance.now() - start };
}

/** An http(s) URL, or a UsageError: `127.0.0.1:6732` without a scheme is a typo, not an unreachable host. */
export function signerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`not an http(s) URL: ${text} (expected http://host:port or https://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`not an http(s) URL: ${text} (expected http://host:port or https://…)`);
  return url;
}

export async function runChecks(url: string, key: SecretKey, onlyPkh?: string): Promise<Result[]> {
  const base = url.replace(/\/+$/, '');
  const results: Result[] = [];
  const add = (check: string, ok: boolean, detail: string, ms: number) => results.push({ check, ok, detail, ms });

  const authorized = await call(`${base}/authorized_keys`);
  const list = (authorized.body as { authorized_keys?: string[] }).authorized_keys ?? [];
  const keyServed = authorized.status === 200 && list.includes(key.publicKey.pkh.encoded);
  add('GET /authorized_keys serves the authorized key', keyServed, `HTTP ${authorized.status}: ${JSON.stringify(authorized.body)}`, authorized.ms);

  const known = await call(`${base}/known_keys`);
  const pkhs = ((known.body as { known_keys?: string[] }).known_keys ?? []).filter((p) => onlyPkh === undefined || p === onlyPkh);
  add('GET /known_keys lists consensus keys', known.status === 200 && pkhs.length > 0, `HTTP ${known.status}: ${JSON.stringify(known.body)}`, known.ms);

  for (const pkh of pkhs) {
    const got = await call(`${base}/keys/${pkh}`);
    const publicKey = (got.body as { public_key?: string }).public_key ?? '';
    let matches = false;
    try {
      matches = parsePublicKey(publicKey).pkh.encoded === pkh;
    } catch {
      matches = false;
    }
    add(`GET /keys/${pkh}: the public key hashes to the pkh`, got.status === 200 && matches, publicKey || `HTTP ${got.status}`, got.ms);

    const hash = parseKeyHash(pkh);
    if (!keyServed || hash === undefined) {
      results.push({ check: POLICY_REFUSAL, ok: false, skipped: true, detail: `skipped: ${hash === undefined ? `${pkh} is not a tz address` : `the signer does not list ${key.publicKey.pkh.encoded} as authorized, so the request would fail authentication (and count in AuthFailures)`}`, ms: 0 });
    } else {
      const authentication = authenticationFor(key, hash, fromHex(TRANSFER));
      const transfer = await call(`${base}/keys/${pkh}?authentication=${encodeURIComponent(authentication)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TRANSFER) });
      const message = errorMessage(transfer.body);
      // A 403 can also be an authentication refusal: only the payload policy's refusal proves the check.
      const byPolicy = transfer.status === 403 && !/^authentication/.test(message) && !JSON.stringify(transfer.body).includes('"signature"');
      add(POLICY_REFUSAL, byPolicy, transfer.status === 403 && !byPolicy ? `refused by authentication, not by the payload policy: ${message}` : `HTTP ${transfer.status}: ${message}`, transfer.ms);
    }

    let served: PublicKey | undefined;
    try {
      served = matches ? parsePublicKey(publicKey) : undefined;
    } catch {
      served = undefined;
    }
    if (!keyServed || hash === undefined || served === undefined) {
      const why = !keyServed ? `the signer does not list ${key.publicKey.pkh.encoded} as authorized, so the request would fail authentication (and count in AuthFailures)` : `no public key for ${pkh} to verify against`;
      results.push({ check: SELF_TEST, ok: false, skipped: true, detail: `skipped: ${why}`, ms: 0 });
    } else {
      results.push({ check: SELF_TEST, ...(await selfTest(base, pkh, hash, key, served)) });
    }

    const bare = await call(`${base}/keys/${pkh}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(UNAUTHENTICATED) });
    add('an unauthenticated request is refused (401)', bare.status === 401, `HTTP ${bare.status}`, bare.ms);
  }
  return results;
}

export const check: Command = {
  name: 'check',
  summary: 'prove a deployed signer can sign (a self-test position) and refuses what it must',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { 'authorized-key-file': { type: 'string' }, 'authorized-secret-key': { type: 'string' }, pkh: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const url = positionals[0];
    if (!url || positionals.length !== 1) throw new UsageError('expected one URL');
    signerUrl(url);
    if (values.pkh !== undefined && parseKeyHash(values.pkh) === undefined) throw new UsageError(`--pkh: not a tz1/tz2/tz3 address: ${values.pkh}`);
    const file = values['authorized-key-file'];
    const secret = values['authorized-secret-key'] ?? (file ? (await readFile(file, 'utf8').catch((error: unknown) => { throw new UsageError(`--authorized-key-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`); })).trim() : undefined);
    if (!secret) throw new UsageError('give the authorized key: --authorized-key-file F or --authorized-secret-key SK');
    let key: SecretKey;
    try {
      key = parseSecretKey(secret);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    let results: Result[];
    try {
      results = await runChecks(url, key, values.pkh);
    } catch (error) {
      process.stderr.write(`tezos-signer check: ${url} unreachable: ${(error as Error).message}\n`);
      return EXIT.unreachable;
    }
    const ok = results.every((r) => r.ok);
    if (values.json) printJson({ url, ok, results });
    else {
      for (const r of results) process.stdout.write(`${r.ok ? 'ok  ' : r.skipped ? 'SKIP' : 'FAIL'} ${r.check}${r.skipped ? '' : ` (${r.ms.toFixed(0)} ms)`}${r.ok ? '' : `\n     ${r.detail}`}\n`);
      process.stdout.write(ok ? 'all checks passed; no baker watermark was touched (the self-test writes only its own item)\n' : `${results.some((r) => r.skipped) ? 'some checks failed or were skipped' : 'some checks failed'}\n`);
    }
    return ok ? EXIT.ok : EXIT.failed;
  },
};
