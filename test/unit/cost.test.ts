// The cost model (`tezos-signer cost`, `npm run cost`): a line per service, the totals add up, and the figures move the way
// the assumptions say they should.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEFAULTS, GOAL_USD, loadPrices, monthly, report, typicalSignatureLineBytes, watermarkWriteWatch } from '../../cli/cost-model.js';
import { costArgs } from '../../cli/commands/cost.js';
import { METRICS } from '../../lambda/src/telemetry.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('cost model', () => {
  const prices = loadPrices();

  test('a line per service for each exposure, the exposure-specific ones only where they belong', () => {
    const url = monthly(prices, DEFAULTS, 'function_url').map((l) => l.service);
    for (const s of ['Lambda requests', 'Lambda compute (arm64)', 'KMS keys', 'KMS Sign', 'DynamoDB reads', 'DynamoDB writes', 'CloudWatch Logs']) expect(url).toContain(s);
    expect(url.some((s) => s.startsWith('API Gateway'))).toBe(false);
    expect(monthly(prices, DEFAULTS, 'http_api').map((l) => l.service)).toContain('API Gateway HTTP API');
    const vpc = monthly(prices, DEFAULTS, 'private_rest_api').map((l) => l.service);
    expect(vpc).toContain('API Gateway REST API (private)');
    expect(vpc).toContain('VPC interface endpoints');
  });

  test('mainnet pace: 864,000 consensus signatures plus blocks; KMS Sign priced per 10,000', () => {
    const lines = monthly(prices, { ...DEFAULTS, blockShare: 0 }, 'function_url');
    const sign = lines.find((l) => l.service === 'KMS Sign')!;
    expect(sign.detail).toContain('0.864 M');
    expect(sign.usd).toBeCloseTo((864_000 / 10_000) * prices.kms.asymmetric_sign_per_10k, 6);
    // every signing request is preceded by GET /authorized_keys
    expect(lines.find((l) => l.service === 'Lambda requests')!.usd).toBeCloseTo(1.728 * prices.lambda.request_per_million, 6);
  });

  test('15-second blocks cost 6/15 of the per-request lines', () => {
    const at6 = monthly(prices, DEFAULTS, 'function_url').find((l) => l.service === 'DynamoDB writes')!.usd;
    const at15 = monthly(prices, { ...DEFAULTS, blockSeconds: 15 }, 'function_url').find((l) => l.service === 'DynamoDB writes')!.usd;
    expect(at15 / at6).toBeCloseTo(6 / 15, 9);
  });
});

describe('the figures docs/cost.md states', () => {
  const prices = loadPrices();
  const total = (lines: { usd: number }[]) => lines.reduce((sum, l) => sum + l.usd, 0);

  test('docs/cost.md holds the output of npm run cost verbatim', () => {
    const doc = read('docs/cost.md');
    const block = /```text\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block, 'a ```text block in docs/cost.md').toBeDefined();
    expect(block).toBe(report(prices, DEFAULTS));
  });

  test(`the goal: at most $${GOAL_USD} a month with the Function URL, monitoring on`, () => {
    const usd = total(monthly(prices, DEFAULTS, 'function_url'));
    console.log(`function_url, monitoring on: $${usd.toFixed(2)}`);
    expect(usd).toBeLessThanOrEqual(GOAL_USD);
  });

  test('the alarm count is the module\'s: the sum alarms plus the no-signature alarm', () => {
    const alarms = read('modules/monitoring/alarms.tf');
    const sumBlock = alarms.slice(alarms.indexOf('sum_alarms = {'), alarms.indexOf('resource "aws_cloudwatch_metric_alarm" "sum"'));
    const sumAlarms = [...sumBlock.matchAll(/^ {4}[\w-]+ = \{/gm)].length;
    const resources = [...alarms.matchAll(/^resource "aws_cloudwatch_metric_alarm"/gm)].length;
    expect(resources).toBe(2);
    expect(DEFAULTS.alarms).toBe(sumAlarms + 1);
  });

  test('the custom metrics are the handler\'s; the log bytes are those of its audit line', () => {
    expect(DEFAULTS.customMetrics).toBe(METRICS.length);
    expect(typicalSignatureLineBytes()).toBeLessThanOrEqual(300);
    expect(DEFAULTS.logBytesPerSign).toBe(typicalSignatureLineBytes() + 26);
  });

  test('a wasted KMS Sign is counted, and a paid dashboard adds its price', () => {
    const base = total(monthly(prices, { ...DEFAULTS, wastedSignShare: 0 }, 'function_url'));
    const wasted = total(monthly(prices, { ...DEFAULTS, wastedSignShare: 0.1 }, 'function_url'));
    expect(wasted - base).toBeCloseTo(868_320 * 0.1 / 1e4 * prices.kms.asymmetric_sign_per_10k, 6);
    const paid = total(monthly(prices, { ...DEFAULTS, dashboardFree: false }, 'function_url'));
    expect(paid - total(monthly(prices, DEFAULTS, 'function_url'))).toBeCloseTo(prices.cloudwatch.dashboard_month, 9);
  });
});

// The multi-Region layout (npm run cost -- --multi-region, docs/multi-region.md).
describe('multi-Region layout', async () => {
  const { multiRegionLines, multiRegionReport, WATERMARK_ITEM_BYTES } = await import('../../cli/cost-model.js');
  const prices = loadPrices();
  const line = (lines: { service: string; usd: number }[], service: string) => lines.find((l) => l.service === service)!;
  const signatures = 868_320;

  test('each watermark write is replicated once with a witness, twice with three replicas, at the rWRU price', () => {
    const witness = multiRegionLines(prices, DEFAULTS, 'witness');
    const three = multiRegionLines(prices, DEFAULTS, 'replica');
    expect(line(witness, 'DynamoDB replicated writes').usd).toBeCloseTo((signatures / 1e6) * prices.multi_region.replicated_write_request_unit_per_million, 9);
    expect(line(three, 'DynamoDB replicated writes').usd).toBeCloseTo((2 * signatures / 1e6) * prices.multi_region.replicated_write_request_unit_per_million, 9);
    // The change data goes to both other Regions of the set, witness or replica.
    expect(line(witness, 'Inter-Region replication').usd).toBeCloseTo(((signatures * WATERMARK_ITEM_BYTES * 2) / 1024 ** 3) * prices.multi_region.inter_region_transfer_per_gb, 9);
  });

  test('a replica key per consensus key, billed as a key; the standby function and URL cost nothing idle', () => {
    const two = multiRegionLines(prices, { ...DEFAULTS, keys: 2 }, 'witness');
    expect(line(two, 'KMS replica keys').usd).toBe(2 * prices.kms.asymmetric_key_month);
    expect(line(two, 'Standby Lambda + Function URL').usd).toBe(0);
    // No per-request line is paid twice: the layout adds no Lambda request, KMS Sign or read line.
    expect(two.map((l) => l.service).filter((s) => /^(Lambda requests|KMS Sign|DynamoDB reads)/.test(s))).toEqual([]);
  });

  test('docs/cost.md holds npm run cost -- --multi-region verbatim', () => {
    const doc = read('docs/cost.md');
    const block = /## Multi-Region[\s\S]*?```text\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block, 'a ```text block under "## Multi-Region" in docs/cost.md').toBeDefined();
    expect(block).toBe(multiRegionReport(prices, DEFAULTS));
  });

  test('--multi-region is a flag of npm run cost', () => {
    expect(costArgs(['--multi-region'])).toMatchObject({ multiRegion: true });
    expect(costArgs([])).toMatchObject({ multiRegion: false });
  });
});

describe('watching watermark writes by others (issue 16, point 3)', () => {
  const prices = loadPrices();
  const total = (lines: { usd: number }[]) => lines.reduce((sum, l) => sum + l.usd, 0);

  test('CloudTrail data events, writes only: one event per signature at $0.10 per 100,000, plus their S3 logs; reads too would double it', () => {
    const w = watermarkWriteWatch(prices, DEFAULTS);
    const events = 868_320;
    const s3 = (n: number) => ((n * DEFAULTS.trailBytesPerEvent) / 1024 ** 3) * prices.s3.standard_gb_month;
    expect(w.cloudtrailWrites.usd).toBeCloseTo((events / 1e5) * prices.cloudtrail.data_events_per_100k + s3(events), 9);
    expect(w.cloudtrailAll.usd).toBeCloseTo(2 * w.cloudtrailWrites.usd, 9);
    // The stream is cheaper but names no principal: the model says so, and the module does not use it.
    expect(w.stream.usd).toBeLessThan(w.cloudtrailWrites.usd);
    expect(w.stream.detail).toContain('not who wrote it');
  });

  test('the line joins the totals with --table-write-events (the examples\' setting), and only then', () => {
    const parsed = costArgs(['--table-write-events']);
    expect('assumptions' in parsed && parsed.assumptions.tableWriteEvents).toBe(true);
    const on = monthly(prices, { ...DEFAULTS, tableWriteEvents: true }, 'function_url');
    const off = monthly(prices, DEFAULTS, 'function_url');
    expect(on.map((l) => l.service)).toContain('CloudTrail data events (table)');
    expect(off.map((l) => l.service)).not.toContain('CloudTrail data events (table)');
    expect(total(on) - total(off)).toBeCloseTo(watermarkWriteWatch(prices, DEFAULTS).cloudtrailWrites.usd, 9);
  });

  test('the trail the module creates selects the table\'s writes only (no read_write_type "All")', () => {
    const trail = read('modules/monitoring/trail.tf');
    expect(trail).not.toMatch(/read_write_type\s*=\s*"All"/);
    expect(trail).toMatch(/field\s*=\s*"readOnly"/);
  });
});

// Floods (tezos-signer cost --flood-rps, docs/cost.md "Floods"): what unauthenticated requests cost each exposure.
describe('a flood of unauthenticated requests', async () => {
  const { flood, floodReport, refusalBilledMs, refusalLineBytes, FLOOD_DEFAULTS, EXPOSURES } = await import('../../cli/cost-model.js');
  const prices = loadPrices();
  const total = (lines: { usd: number }[]) => lines.reduce((sum, l) => sum + l.usd, 0);
  const line = (lines: { service: string; usd: number }[], service: string) => lines.find((l) => l.service === service);
  const f = { ...FLOOD_DEFAULTS, rps: 1000, hours: 24, refusalCpuMs: 2.12, apiRateLimit: 20 };
  const requests = 1000 * 24 * 3600; // 86.4 M

  test('function_url (authorization NONE): every request is an invocation, its billed duration and its log line', () => {
    const lines = flood(prices, DEFAULTS, 'function_url', f);
    // 2.12 ms of a full core at 256 MB (256/1769 of a vCPU): 14.65 ms, billed as 15.
    expect(refusalBilledMs(DEFAULTS, f)).toBe(15);
    expect(line(lines, 'Lambda requests')!.usd).toBeCloseTo(86.4 * prices.lambda.request_per_million, 9);
    expect(line(lines, 'Lambda compute (arm64)')!.usd).toBeCloseTo(requests * 0.015 * 0.25 * prices.lambda.arm64_gb_second, 9);
    expect(line(lines, 'CloudWatch Logs')!.usd).toBeCloseTo(((requests * refusalLineBytes()) / 1024 ** 3) * prices.cloudwatch.logs_ingest_per_gb, 9);
    expect(total(lines)).toBeCloseTo(17.28 + 4.32 + line(lines, 'CloudWatch Logs')!.usd, 2);
  });

  test('function_url_iam: refused by Lambda before invocation, nothing billed, where function_url pays per request', () => {
    const iam = flood(prices, DEFAULTS, 'function_url_iam', f);
    expect(total(iam)).toBe(0);
    expect(iam.map((l) => l.service)).not.toContain('Lambda requests');
    // Billed like function_url, the same flood would cost tens of dollars.
    expect(total(flood(prices, DEFAULTS, 'function_url', f))).toBeGreaterThan(20);
    // In steady state the two are the same month: a Function URL has no charge of its own.
    expect(total(monthly(prices, DEFAULTS, 'function_url_iam'))).toBe(total(monthly(prices, DEFAULTS, 'function_url')));
  });

  test('http_api: API requests and invocations up to the stage throttle only; the throttled rest is not billed', () => {
    const lines = flood(prices, DEFAULTS, 'http_api', f);
    const admitted = 20 * 24 * 3600; // 1.728 M
    expect(line(lines, 'API Gateway HTTP API')!.usd).toBeCloseTo(1.728 * prices.api_gateway.http_api_per_million, 9);
    expect(line(lines, 'Lambda requests')!.usd).toBeCloseTo(1.728 * prices.lambda.request_per_million, 9);
    expect(line(lines, 'Lambda compute (arm64)')!.usd).toBeCloseTo(admitted * 0.015 * 0.25 * prices.lambda.arm64_gb_second, 9);
    // Under the throttle, every request is admitted: a flood of 10 rps costs per request.
    const small = flood(prices, DEFAULTS, 'http_api', { ...f, rps: 10 });
    expect(line(small, 'API Gateway HTTP API')!.usd).toBeCloseTo(0.864 * prices.api_gateway.http_api_per_million, 9);
    expect(floodReport(prices, DEFAULTS, f)).toContain("the baker's requests share the 20 rps: about 2.0 % of them get through");
  });

  test('private_rest_api: not reachable from the internet', () => {
    expect(total(flood(prices, DEFAULTS, 'private_rest_api', f))).toBe(0);
  });

  test('the billed duration follows the memory (a vCPU at 1,769 MB) and is at least 1 ms', () => {
    expect(refusalBilledMs({ ...DEFAULTS, memoryMb: 1024 }, f)).toBe(4); // 2.12 × 1769 / 1024 = 3.66
    expect(refusalBilledMs({ ...DEFAULTS, memoryMb: 3538 }, f)).toBe(3); // a full core at most
    expect(refusalBilledMs(DEFAULTS, { ...f, refusalCpuMs: 0 })).toBe(1);
  });

  test('the defaults are the module\'s throttle and the README\'s dearest measured forged authentication', () => {
    const variables = read('variables.tf');
    const rate = /variable "api_throttling_rate_limit" \{[\s\S]*?default\s*=\s*([\d.]+)/.exec(variables)?.[1];
    expect(Number(rate)).toBe(FLOOD_DEFAULTS.apiRateLimit);
    const rows = read('README.md').split('\n').filter((l) => /^\| [^|]*: steady median \|/.test(l));
    expect(rows.length, 'the README rows of forged authentications (steady medians)').toBeGreaterThanOrEqual(2);
    const measured = rows.flatMap((row) => [...row.matchAll(/([\d.]+) ms/g)].map((m) => Number(m[1])));
    expect(FLOOD_DEFAULTS.refusalCpuMs).toBe(Math.max(...measured));
  });

  test('docs/cost.md holds tezos-signer cost --flood-rps 1000 --flood-hours 24 verbatim under "Floods", every exposure in it', () => {
    const block = /## Floods[\s\S]*?```text\n([\s\S]*?)```/.exec(read('docs/cost.md'))?.[1];
    expect(block, 'a ```text block under "## Floods" in docs/cost.md').toBeDefined();
    expect(block).toBe(floodReport(prices, DEFAULTS, { ...FLOOD_DEFAULTS, rps: 1000, hours: 24 }));
    for (const exposure of EXPOSURES) expect(block).toContain(`exposure ${exposure}\n`);
  });
});
