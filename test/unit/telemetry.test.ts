// The audit line (lambda/src/telemetry.ts): one compact JSON object per signing request, refusal or
// error, at most 300 bytes for a signature; its `_aws` block publishes only the metrics of
// docs/interfaces.md (names, units, one dimension set), read from the document itself, and only on the
// lines of the events they count; and never the authentication signature.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { fromHex } from '../../lambda/src/bytes.js';
import type { RefusalReason } from '../../lambda/src/errors.js';
import { METRICS, logLine, writeLogLine, type RequestRecord } from '../../lambda/src/telemetry.js';
import { AUTHORIZED_TZ2, CRYPTO, authenticationFor, handle, httpRequest, post, rig, vectorHex } from './helpers.js';

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}
type Line = Record<string, unknown> & { _aws?: { Timestamp: number; CloudWatchMetrics: Directive[] } };

// ---- the contract, read from docs/interfaces.md
const doc = readFileSync(new URL('../../docs/interfaces.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Embedded metrics'), doc.indexOf('## Local stack'));
const DOC_METRICS = new Map([...section.matchAll(/^\| `(\w+)` \| (\w+) \|/gm)].map(([, name, unit]) => [name!, unit!]));

function line(record: Partial<RequestRecord>, now = 1_800_000_000_000): Line {
  const full: RequestRecord = { requestId: 'r', method: 'POST', route: 'key', status: 200, outcome: 'signed', ...record };
  return logLine(full, 'TezosSigner', 'my-function', now) as Line;
}

/** Checks a line against the document; returns the names of the metrics it publishes. */
function checkAgainstDoc(l: Line): string[] {
  const out: string[] = [];
  for (const d of l._aws?.CloudWatchMetrics ?? []) {
    expect(d.Namespace).toBe('TezosSigner');
    expect(d.Dimensions).toEqual([['FunctionName']]);
    expect(l['FunctionName']).toBe('my-function');
    for (const m of d.Metrics) {
      expect(DOC_METRICS.get(m.Name), `metric ${m.Name} is documented`).toBe(m.Unit);
      expect(l[m.Name], `value of ${m.Name}`).toBe(1);
      out.push(m.Name);
    }
  }
  return out.sort();
}

/** The longest signature line there can be: a UUID request id, the largest figures. */
const LONGEST_SIGNATURE: Partial<RequestRecord> = {
  requestId: '8f6a5c3e-1b2d-4e5f-9a8b-7c6d5e4f3a2b',
  outcome: 'signed',
  pkh: CRYPTO.keys.consensus_tz2.pkh,
  authorizedKey: CRYPTO.keys.authorized_tz2.pkh,
  chainId: 'NetXdQprcVkpaWU',
  kind: 'preattestation',
  opLevel: 2 ** 31 - 1,
  opRound: 2 ** 31 - 1,
  kmsMs: 9999.99,
  dynamoDbMs: 9999.99,
  durationMs: 19999.99,
  kmsWasted: true,
};

describe('the contract as read from docs/interfaces.md', () => {
  test('three metrics, counts, the same as the handler publishes', () => {
    expect([...DOC_METRICS.entries()]).toEqual([['WatermarkRefusals', 'Count'], ['AuthFailures', 'Count'], ['Errors', 'Count']]);
    expect([...METRICS]).toEqual([...DOC_METRICS.keys()]);
  });
});

describe('the audit line', () => {
  test('a signature: at most 300 bytes, with request id, pkh, chain, kind, level, round, outcome and timings, no metric', () => {
    const l = line(LONGEST_SIGNATURE);
    const text = JSON.stringify(l) + '\n';
    console.log(`longest signature line: ${Buffer.byteLength(text)} bytes`);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(300);
    expect(Object.keys(l)).toEqual(['level', 'requestId', 'outcome', 'pkh', 'chain', 'kind', 'opLevel', 'opRound', 'kmsMs', 'ddbMs', 'ms', 'kmsWasted']);
    expect(l._aws).toBeUndefined();
    expect(l['level']).toBe('INFO');
  });

  test('an identical retry: the same compact line, outcome identical_retry, no metric', () => {
    const l = line({ ...LONGEST_SIGNATURE, outcome: 'identical_retry' });
    expect(Buffer.byteLength(JSON.stringify(l) + '\n')).toBeLessThanOrEqual(300);
    expect(l['outcome']).toBe('identical_retry');
    expect(checkAgainstDoc(l)).toEqual([]);
  });

  test('a served read is not logged; writeLogLine writes nothing for it', () => {
    expect(logLine({ requestId: 'r', method: 'GET', route: 'authorized_keys', status: 200, outcome: 'served' }, 'TezosSigner', 'f', 0)).toBeUndefined();
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      writeLogLine(undefined);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test.each([
    ['watermark', 409, ['WatermarkRefusals']],
    ['authentication', 401, ['AuthFailures']],
    ['authentication', 403, ['AuthFailures']],
    ['policy', 403, []],
    ['malformed', 400, []],
    ['unknown_key', 404, []],
    ['not_found', 404, []],
    ['method', 405, []],
    ['too_large', 413, []],
  ] as const)('a refusal for %s (%i): WARN, status, reason and message; metrics %j', (reason, status, metrics) => {
    const l = line({ outcome: 'refused', status, reason: reason as RefusalReason, message: 'why', authorizedKey: 'tz2x' });
    expect(checkAgainstDoc(l)).toEqual([...metrics]);
    expect(l).toMatchObject({ level: 'WARN', status, reason, message: 'why', by: 'tz2x' });
  });

  test.each(['upstream', 'internal'] as const)('an error (%s): Errors, level ERROR', (reason) => {
    const l = line({ outcome: 'error', status: reason === 'upstream' ? 503 : 500, reason, kmsMs: 1 });
    expect(checkAgainstDoc(l)).toEqual(['Errors']);
    expect(l['level']).toBe('ERROR');
    expect(l._aws!.Timestamp).toBe(1_800_000_000_000);
  });

  test('the namespace is the one given', () => {
    const l = logLine({ requestId: 'r', method: 'POST', route: 'key', status: 503, outcome: 'error', reason: 'upstream' }, 'Custom/NS', 'f', 0) as Line;
    expect(l._aws!.CloudWatchMetrics.every((d) => d.Namespace === 'Custom/NS')).toBe(true);
  });

  test('every metric of the document is produced by some line', () => {
    const seen = new Set<string>();
    for (const r of [{ outcome: 'refused', reason: 'watermark' }, { outcome: 'refused', reason: 'authentication' }, { outcome: 'error', reason: 'upstream' }] as const) {
      for (const name of checkAgainstDoc(line(r))) seen.add(name);
    }
    expect([...seen].sort()).toEqual([...DOC_METRICS.keys()].sort());
  });

  test('writeLogLine writes one JSON line to stdout', () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      writeLogLine(line({ outcome: 'error', reason: 'upstream', status: 503 }));
    } finally {
      spy.mockRestore();
    }
    expect(writes).toHaveLength(1);
    expect(writes[0]!.endsWith('\n')).toBe(true);
    expect(writes[0]!.indexOf('\n')).toBe(writes[0]!.length - 1);
    expect((JSON.parse(writes[0]!) as Line)._aws).toBeDefined();
  });
});

describe('through the Signer: what a request logs', () => {
  afterEach(() => vi.restoreAllMocks());

  test('a signing request logs its position, never the authentication signature', async () => {
    const r = rig();
    const hex = vectorHex('signatory-integration/C3');
    const auth = authenticationFor(AUTHORIZED_TZ2, CRYPTO.keys.consensus_tz2.pkh, fromHex(hex));
    const a = await post(r, hex, { auth });
    expect(a.status).toBe(200);
    const text = JSON.stringify(logLine(a.record, 'TezosSigner', 'fn', 0));
    expect(text).not.toContain(auth);
    for (let i = 0; i + 16 <= auth.length; i += 8) expect(text).not.toContain(auth.slice(i, i + 16));
    const l = JSON.parse(text) as Line;
    expect(l).toMatchObject({
      level: 'INFO',
      requestId: 'req-1',
      outcome: 'signed',
      kind: 'attestation',
      chain: 'NetXo5iVw1vBoxM',
      opLevel: 34,
      opRound: 4,
      pkh: CRYPTO.keys.consensus_tz2.pkh,
    });
    for (const timing of ['kmsMs', 'ddbMs', 'ms']) expect(typeof l[timing], timing).toBe('number');
    expect(checkAgainstDoc(l)).toEqual([]);
    expect(Buffer.byteLength(text + '\n')).toBeLessThanOrEqual(300);
  });

  test('refused and failed requests do not log the authentication either', async () => {
    const r = rig();
    const hex = vectorHex('signatory-integration/C1');
    const good = authenticationFor(AUTHORIZED_TZ2, CRYPTO.keys.consensus_tz2.pkh, fromHex(hex));
    const cases = [
      CRYPTO.authentication.for_consensus_tz2.authentication, // 403: for other bytes
      CRYPTO.authentication.for_consensus_tz2.high_s_twin_must_fail,
      good.slice(0, -3) + 'zzz', // 400
    ];
    for (const auth of cases) {
      const a = await post(r, hex, { auth });
      expect(a.status).toBeGreaterThanOrEqual(400);
      const text = JSON.stringify(logLine(a.record, 'TezosSigner', 'my-function', 0));
      expect(text).not.toContain(auth.slice(8, 40));
      checkAgainstDoc(JSON.parse(text) as Line);
    }
    // a KMS failure after a valid authentication
    r.kms.answer = () => {
      throw Object.assign(new Error('x'), { name: 'KMSInternalException' });
    };
    const failed = await post(r, hex, { auth: good });
    expect(failed.status).toBe(503);
    const text = JSON.stringify(logLine(failed.record, 'TezosSigner', 'fn', 0));
    expect(text).not.toContain(good.slice(8, 40));
    expect(JSON.parse(text)).toMatchObject({ Errors: 1, outcome: 'error', reason: 'upstream', by: CRYPTO.keys.authorized_tz2.pkh });
  });

  test('every refusal the Signer produces is logged with its reason; only authentication publishes a metric', async () => {
    const r = rig();
    const requests = [
      httpRequest('PUT', '/authorized_keys'), // 405
      httpRequest('GET', '/nowhere'), // 404
      httpRequest('POST', `/keys/${CRYPTO.keys.consensus_tz2.pkh}`, { body: JSON.stringify('11'.repeat(3000)) }), // 413
      httpRequest('POST', `/keys/${CRYPTO.keys.consensus_tz2.pkh}`, { body: '{' }), // 400
      httpRequest('POST', `/keys/${CRYPTO.keys.consensus_tz2.pkh}`, { body: JSON.stringify(vectorHex('signatory-integration/C1')) }), // 401
    ];
    const seen: [string, string[]][] = [];
    for (const request of requests) {
      const a = await handle(r.signer, request);
      expect(a.record.outcome).toBe('refused');
      const l = logLine(a.record, 'TezosSigner', 'my-function', 0) as Line;
      seen.push([String(l['reason']), checkAgainstDoc(l)]);
    }
    expect(seen).toEqual([['method', []], ['not_found', []], ['too_large', []], ['malformed', []], ['authentication', ['AuthFailures']]]);
  });

  test('served reads log nothing', async () => {
    const r = rig();
    for (const path of ['/authorized_keys', `/keys/${CRYPTO.keys.consensus_tz2.pkh}`, '/known_keys']) {
      const a = await handle(r.signer, httpRequest('GET', path));
      expect(a.status).toBe(200);
      expect(logLine(a.record, 'TezosSigner', 'fn', 0)).toBeUndefined();
    }
  });
});
