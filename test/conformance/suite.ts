// The conformance suite: what any deployment of this signer must do, run against a URL. The local
// stack tests run it against `serve`; the e2e harness runs it against a fresh `terraform apply`.
// Signing goes through Taquito's RemoteSigner (an independent Tezos client, which checks the public key
// against the pkh and verifies every signature); refusals are checked with plain HTTP.
import { HttpBackend, type HttpRequestOptions } from '@taquito/http-utils';
import { RemoteSigner } from '@taquito/remote-signer';
import { verifySignature } from '@taquito/utils';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { parseKeyHash, type KeyHash } from '../../lambda/src/keys.js';
import { authenticationFor, type SecretKey, parseSecretKey } from '../../local/secret-keys.js';
import { payload, randomChainId, transferHex, type Kind } from '../support/payloads.js';

export interface SignerTarget {
  url: string;
  pkh: string;
  /** An authorized key's secret (spsk/p2sk/edsk), unencrypted. */
  authorizedSecretKey: string;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

export interface ConformanceReport {
  checks: Check[];
  latencyMs: { p50: number; p90: number; p99: number; max: number; count: number };
  passed: boolean;
}

/** Adds the `authentication` query parameter to each signing request, as octez-client does. */
export class AuthenticatingBackend extends HttpBackend {
  constructor(
    private readonly key: SecretKey,
    private readonly signer: KeyHash,
  ) {
    super();
  }

  override createRequest<T>(options: HttpRequestOptions, data?: object | string): Promise<T> {
    if (options.method === 'POST' && typeof data === 'string') {
      const authentication = authenticationFor(this.key, this.signer, fromHex(data));
      return super.createRequest<T>({ ...options, query: { ...(options.query ?? {}), authentication } }, data);
    }
    return super.createRequest<T>(options, data);
  }
}

export interface RawResponse {
  status: number;
  body: unknown;
  ms: number;
}

export async function request(url: string, init?: RequestInit): Promise<RawResponse> {
  const start = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  const ms = performance.now() - start;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep the text */
  }
  return { status: response.status, body, ms };
}

export function signRequest(target: SignerTarget, key: SecretKey, hex: string, authentication?: string): Promise<RawResponse> {
  const pkh = parseKeyHash(target.pkh)!;
  const auth = authentication ?? authenticationFor(key, pkh, fromHex(hex));
  return request(`${target.url.replace(/\/+$/, '')}/keys/${target.pkh}?authentication=${encodeURIComponent(auth)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(hex),
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runConformance(target: SignerTarget): Promise<ConformanceReport> {
  const checks: Check[] = [];
  const latencies: number[] = [];
  const base = target.url.replace(/\/+$/, '');
  const key = parseSecretKey(target.authorizedSecretKey);
  const pkh = parseKeyHash(target.pkh);
  if (pkh === undefined) throw new Error(`not a key hash: ${target.pkh}`);
  const remote = new RemoteSigner(target.pkh, base, {}, new AuthenticatingBackend(key, pkh));
  const chainId = randomChainId();
  const level = 1000 + Math.floor(Math.random() * 1_000_000);

  const check = async (name: string, run: () => Promise<[boolean, string, number?]>) => {
    const start = performance.now();
    try {
      const [ok, detail, ms] = await run();
      const elapsed = ms ?? performance.now() - start;
      latencies.push(elapsed);
      checks.push({ name, ok, detail, ms: elapsed });
    } catch (error) {
      checks.push({ name, ok: false, detail: `threw: ${error instanceof Error ? error.message : String(error)}`, ms: performance.now() - start });
    }
  };

  await check('GET /authorized_keys lists the authorized key', async () => {
    const r = await request(`${base}/authorized_keys`);
    const list = (r.body as { authorized_keys?: string[] }).authorized_keys ?? [];
    return [r.status === 200 && list.includes(key.publicKey.pkh.encoded), `status ${r.status}, ${JSON.stringify(r.body)}`, r.ms];
  });

  await check('GET /keys/<pkh> serves a public key whose hash is the pkh', async () => {
    const publicKey = await remote.publicKey();
    return [typeof publicKey === 'string' && publicKey.length > 50, publicKey];
  });

  await check('GET /known_keys lists the pkh', async () => {
    const r = await request(`${base}/known_keys`);
    return [r.status === 200 && ((r.body as { known_keys?: string[] }).known_keys ?? []).includes(target.pkh), JSON.stringify(r.body), r.ms];
  });

  const signatures = new Map<Kind, string>();
  const publicKey = await remote.publicKey().catch(() => '');
  for (const kind of ['block', 'preattestation', 'attestation'] as const) {
    await check(`signs a ${kind} (verified by Taquito)`, async () => {
      const bytes = payload({ kind, chainId, level, round: 0 });
      const { prefixSig } = await remote.sign(toHex(bytes.subarray(1)), bytes.subarray(0, 1));
      signatures.set(kind, prefixSig);
      return [verifySignature(toHex(bytes), publicKey, prefixSig), prefixSig];
    });
  }

  await check('an identical retry returns the same signature, byte for byte', async () => {
    const bytes = payload({ kind: 'block', chainId, level, round: 0 });
    const { prefixSig } = await remote.sign(toHex(bytes.subarray(1)), bytes.subarray(0, 1));
    return [prefixSig === signatures.get('block'), `${prefixSig} vs ${signatures.get('block')}`];
  });

  await check('other bytes at the signed level and round: 409', async () => {
    const r = await signRequest(target, key, toHex(payload({ kind: 'block', chainId, level, round: 0, variant: 7 })));
    return [r.status === 409, `status ${r.status}, ${JSON.stringify(r.body)}`, r.ms];
  });

  await check('a lower level: 409', async () => {
    const r = await signRequest(target, key, toHex(payload({ kind: 'attestation', chainId, level: level - 1, round: 5 })));
    return [r.status === 409, `status ${r.status}, ${JSON.stringify(r.body)}`, r.ms];
  });

  await check('a higher round at the same level is signed', async () => {
    const r = await signRequest(target, key, toHex(payload({ kind: 'block', chainId, level, round: 1, variant: 7 })));
    return [r.status === 200 && typeof (r.body as { signature?: string }).signature === 'string', `status ${r.status}`, r.ms];
  });

  await check('an authenticated transfer (magic 0x03) is refused: 403', async () => {
    const r = await signRequest(target, key, transferHex());
    return [r.status === 403 && !JSON.stringify(r.body).includes('signature'), `status ${r.status}, ${JSON.stringify(r.body)}`, r.ms];
  });

  await check('no authentication: 401', async () => {
    const hex = toHex(payload({ kind: 'attestation', chainId, level: level + 10, round: 0 }));
    const r = await request(`${base}/keys/${target.pkh}`, { method: 'POST', body: JSON.stringify(hex) });
    return [r.status === 401, `status ${r.status}`, r.ms];
  });

  await check('authentication for other bytes: 403', async () => {
    const hex = toHex(payload({ kind: 'attestation', chainId, level: level + 10, round: 0 }));
    const other = authenticationFor(key, pkh, payload({ kind: 'attestation', chainId, level: level + 11, round: 0 }));
    const r = await signRequest(target, key, hex, other);
    return [r.status === 403, `status ${r.status}`, r.ms];
  });

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    checks,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? 0,
      count: sorted.length,
    },
    passed: checks.every((c) => c.ok),
  };
}
