// The log line (lambda/src/telemetry.ts): one JSON object per request whose `_aws` block publishes the
// metrics of docs/interfaces.md (names, units, dimension sets, Reason values), read from the document
// itself; and never the authentication signature.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { fromHex } from '../../lambda/src/bytes.js';
import type { RefusalReason } from '../../lambda/src/errors.js';
import { logLine, writeLogLine, type RequestRecord } from '../../lambda/src/telemetry.js';
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
const DOC_METRICS = new Map(
  [...section.matchAll(/^\| `(\w+)` \| (\w+) \|[ ]*(.*?)[ ]*\|$/gm)].map(([, name, unit, extra]) => [
    name!,
    { unit: unit!, extra: extra!.trim() === '' ? undefined : extra!.replace(/[`[\]]/g, '').split(',').map((s) => s.trim()) },
  ]),
);
const DOC_REASONS = [...(/`Reason` values: (.*)\./.exec(section)?.[1] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]!);

function line(record: Partial<RequestRecord>, now = 1_800_000_000_000): Line {
  const full: RequestRecord = { requestId: 'r', method: 'POST', route: 'key', status: 200, outcome: 'served', ...record };
  return logLine(full, 'TezosSigner', 'my-function', now) as Line;
}

/** Checks a line against the document; returns the metrics as name → dimension sets. */
function checkAgainstDoc(l: Line): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const d of l._aws?.CloudWatchMetrics ?? []) {
    expect(d.Namespace).toBe('TezosSigner');
    expect(d.Dimensions[0]).toEqual(['FunctionName']);
    for (const m of d.Metrics) {
      const documented = DOC_METRICS.get(m.Name);
      expect(documented, `metric ${m.Name} is documented`).toBeDefined();
      expect(m.Unit).toBe(documented!.unit);
      expect(d.Dimensions).toEqual(documented!.extra ? [['FunctionName'], documented!.extra] : [['FunctionName']]);
      expect(typeof l[m.Name], `value of ${m.Name}`).toBe('number');
      for (const set of d.Dimensions) for (const dim of set) expect(typeof l[dim], `dimension ${dim}`).toBe('string');
      out.set(m.Name, d.Dimensions);
    }
  }
  if (typeof l['Reason'] === 'string' && out.has('Refusals')) expect(DOC_REASONS).toContain(l['Reason']);
  return out;
}

describe('the contract as read from docs/interfaces.md', () => {
  test('eight metrics and six reasons', () => {
    expect([...DOC_METRICS.keys()]).toEqual(['Signatures', 'IdenticalRetries', 'Refusals', 'WatermarkRefusals', 'AuthFailures', 'Errors', 'KmsLatency', 'DynamoDbLatency']);
    expect(DOC_METRICS.get('Signatures')!.extra).toEqual(['FunctionName', 'Kind']);
    expect(DOC_METRICS.get('Refusals')!.extra).toEqual(['FunctionName', 'Reason']);
    expect(DOC_REASONS).toEqual(['watermark', 'policy', 'authentication', 'malformed', 'unknown_key', 'not_found']);
  });
});

describe('the EMF block', () => {
  test('a signature: Signatures by kind, latencies in milliseconds', () => {
    const l = line({ outcome: 'signed', kind: 'attestation', kmsMs: 12.5, dynamoDbMs: 7.25 }, 1234);
    const metrics = checkAgainstDoc(l);
    expect([...metrics.keys()].sort()).toEqual(['DynamoDbLatency', 'KmsLatency', 'Signatures']);
    expect(l).toMatchObject({ Signatures: 1, Kind: 'attestation', KmsLatency: 12.5, DynamoDbLatency: 7.25, FunctionName: 'my-function', level: 'INFO' });
    expect(l._aws!.Timestamp).toBe(1234);
    expect(l['timestamp']).toBe(new Date(1234).toISOString());
  });

  test('an identical retry: IdenticalRetries, not Signatures', () => {
    const l = line({ outcome: 'identical_retry', kind: 'block', dynamoDbMs: 3 });
    expect([...checkAgainstDoc(l).keys()].sort()).toEqual(['DynamoDbLatency', 'IdenticalRetries']);
    expect(l['Signatures']).toBeUndefined();
  });

  test.each([
    ['watermark', 409, ['Refusals', 'WatermarkRefusals'], 'watermark'],
    ['authentication', 401, ['AuthFailures', 'Refusals'], 'authentication'],
    ['policy', 403, ['Refusals'], 'policy'],
    ['malformed', 400, ['Refusals'], 'malformed'],
    ['unknown_key', 404, ['Refusals'], 'unknown_key'],
    ['not_found', 404, ['Refusals'], 'not_found'],
    ['method', 405, ['Refusals'], 'not_found'],
    ['too_large', 413, ['Refusals'], 'malformed'],
  ] as const)('a refusal for %s: Refusals with a documented Reason', (reason, status, metrics, dimension) => {
    const l = line({ outcome: 'refused', status, reason: reason as RefusalReason });
    expect([...checkAgainstDoc(l).keys()].sort()).toEqual(metrics);
    expect(l['Reason']).toBe(dimension);
    expect(DOC_REASONS).toContain(l['Reason']);
    expect(l['reason']).toBe(reason); // the log line keeps the precise reason
    expect(l['level']).toBe('WARN');
  });

  test.each(['upstream', 'internal'] as const)('an error (%s): Errors only, level ERROR', (reason) => {
    const l = line({ outcome: 'error', status: reason === 'upstream' ? 503 : 500, reason, kmsMs: 1 });
    expect([...checkAgainstDoc(l).keys()].sort()).toEqual(['Errors', 'KmsLatency']);
    expect(l['Refusals']).toBeUndefined();
    expect(l['level']).toBe('ERROR');
  });

  test('a served read without latencies has no metrics block', () => {
    const l = line({ outcome: 'served', route: 'authorized_keys', method: 'GET' });
    expect(l._aws).toBeUndefined();
    expect(l).toMatchObject({ outcome: 'served', route: 'authorized_keys', level: 'INFO' });
  });

  test('the namespace is the one given', () => {
    const l = logLine({ requestId: 'r', method: 'POST', route: 'key', status: 200, outcome: 'signed', kind: 'block' }, 'Custom/NS', 'f', 0) as Line;
    expect(l._aws!.CloudWatchMetrics.every((d) => d.Namespace === 'Custom/NS')).toBe(true);
  });

  test('every metric of the document is produced by some line', () => {
    const seen = new Set<string>();
    const records: Partial<RequestRecord>[] = [
      { outcome: 'signed', kind: 'block', kmsMs: 1, dynamoDbMs: 1 },
      { outcome: 'identical_retry', kind: 'block' },
      { outcome: 'refused', reason: 'watermark' },
      { outcome: 'refused', reason: 'authentication' },
      { outcome: 'error', reason: 'upstream' },
    ];
    for (const r of records) for (const name of checkAgainstDoc(line(r)).keys()) seen.add(name);
    expect([...seen].sort()).toEqual([...DOC_METRICS.keys()].sort());
  });

  test('writeLogLine writes one JSON line to stdout', () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      writeLogLine(line({ outcome: 'signed', kind: 'block' }));
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

  test('a signing request logs its position and authorizing key, never the authentication signature', async () => {
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
      outcome: 'signed',
      status: 200,
      kind: 'attestation',
      chainId: 'NetXo5iVw1vBoxM',
      opLevel: 34,
      opRound: 4,
      pkh: CRYPTO.keys.consensus_tz2.pkh,
      authorizedKey: CRYPTO.keys.authorized_tz2.pkh,
      Signatures: 1,
      Kind: 'attestation',
    });
    checkAgainstDoc(l);
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
      const text = JSON.stringify(logLine(a.record, 'TezosSigner', 'fn', 0));
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
    expect(JSON.parse(text)).toMatchObject({ Errors: 1, outcome: 'error', reason: 'upstream' });
  });

  test('every refusal the Signer produces maps to a documented Reason', async () => {
    const r = rig();
    const requests = [
      httpRequest('PUT', '/authorized_keys'), // 405
      httpRequest('GET', '/nowhere'), // 404
      httpRequest('POST', `/keys/${CRYPTO.keys.consensus_tz2.pkh}`, { body: JSON.stringify('11'.repeat(3000)) }), // 413
      httpRequest('POST', `/keys/${CRYPTO.keys.consensus_tz2.pkh}`, { body: '{' }), // 400
      httpRequest('POST', `/keys/${CRYPTO.keys.consensus_tz2.pkh}`, { body: JSON.stringify(vectorHex('signatory-integration/C1')) }), // 401
    ];
    const reasons = new Set<string>();
    for (const request of requests) {
      const a = await handle(r.signer, request);
      expect(a.record.outcome).toBe('refused');
      const l = logLine(a.record, 'TezosSigner', 'fn', 0) as Line;
      checkAgainstDoc(l);
      expect(DOC_REASONS).toContain(l['Reason']);
      reasons.add(String(l['Reason']));
    }
    expect([...reasons].sort()).toEqual(['authentication', 'malformed', 'not_found']);
  });
});
