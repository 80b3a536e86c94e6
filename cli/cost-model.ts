// `npm run cost`: the monthly AWS cost of a signer at mainnet pace, line by line, for each exposure,
// from the prices in cost/prices.json. Every assumption is a flag; the figures are estimates.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { METRICS, logLine } from '../lambda/src/telemetry.js';

const CLOUDWATCH_EVENT_OVERHEAD = 26;

/** The audit line of an ordinary signature, as the handler writes it (with its newline). */
export function typicalSignatureLineBytes(): number {
  const line = logLine(
    {
      requestId: '8f6a5c3e-1b2d-4e5f-9a8b-7c6d5e4f3a2b',
      method: 'POST',
      route: 'key',
      status: 200,
      outcome: 'signed',
      pkh: 'tz2BFTyPeYRzxd5aiBchbXN3WCZhx7BqbMBq',
      chainId: 'NetXdQprcVkpaWU',
      kind: 'preattestation',
      opLevel: 12_345_678,
      opRound: 0,
      kmsMs: 14.37,
      dynamoDbMs: 6.81,
      durationMs: 24.52,
    },
    'TezosSigner',
    'tezos-signer',
    0,
  );
  return Buffer.byteLength(JSON.stringify(line) + '\n');
}

interface Prices {
  region: string;
  as_of: string;
  lambda: { request_per_million: number; arm64_gb_second: number };
  kms: { asymmetric_key_month: number; asymmetric_sign_per_10k: number };
  dynamodb_on_demand: { read_request_unit_per_million: number; write_request_unit_per_million: number };
  cloudwatch: { logs_ingest_per_gb: number; custom_metric_month: number; alarm_standard_month: number; dashboard_month: number };
  api_gateway: { http_api_per_million: number; rest_api_per_million: number };
  vpc_endpoint: { interface_endpoint_hour_per_az: number; data_per_gb: number };
  s3: { standard_gb_month: number; put_per_thousand: number };
  cloudtrail: { management_events_first_copy: number; data_events_per_100k: number };
  /** Replicated write request units of a global table (on demand) and transfer between Regions. */
  multi_region: { replicated_write_request_unit_per_million: number; inter_region_transfer_per_gb: number };
  hours_per_month: number;
}

export interface Assumptions {
  blockSeconds: number;
  /** Fraction of levels at which the baker proposes a block (its stake share, roughly). */
  blockShare: number;
  /** Fraction of levels at which it (pre)attests: 1 for a baker with rights at every level. */
  attestShare: number;
  memoryMb: number;
  signMs: number;
  authorizedKeysMs: number;
  /** Bytes ingested per signature: the audit line plus CloudWatch's 26 bytes of event overhead. */
  logBytesPerSign: number;
  /** Served reads are not logged and Lambda's platform lines are off (system_log_level WARN). */
  logBytesPerAuthorizedKeys: number;
  /** Custom metrics, each published only on the line of an event it counts... */
  customMetrics: number;
  /** ...so billed only for the hours with such an event (CloudWatch prorates custom metrics by the hour). */
  eventHoursPerMetric: number;
  /** Fraction of signatures that also cost a KMS Sign wasted on a refused or repeated request (the Sign
   * starts alongside the watermark read on an instance that has not seen the watermark yet). */
  wastedSignShare: number;
  alarms: number;
  dashboards: number;
  /** The first 3 dashboards of an account are free. */
  dashboardFree: boolean;
  keys: number;
  availabilityZones: number;
  /** The trail the security rules need (`create_trail`, on in every example): every kms:Sign is a
   * management event it records; its first copy is free, its log files are S3 storage and PUTs. */
  trail: boolean;
  /** Bytes of S3 per recorded kms:Sign event (a CloudTrail record of about 1.5 KB, gzip-compressed). */
  trailBytesPerEvent: number;
  /** CloudTrail delivers a log file about every 5 minutes. */
  trailFilesPerMonth: number;
  /** The watermark table's item writes recorded as CloudTrail data events (`table_data_event_rule_enabled`:
   * off in the module, on in the examples), so that table-writes-by-others sees who wrote. */
  tableWriteEvents: boolean;
}

export interface Line {
  service: string;
  detail: string;
  usd: number;
}

export type Exposure = 'function_url' | 'http_api' | 'private_rest_api';

const DAYS = 30;

export function monthly(prices: Prices, a: Assumptions, exposure: Exposure, options: { monitoring: boolean } = { monitoring: true }): Line[] {
  const levels = (DAYS * 86400) / a.blockSeconds;
  const signatures = levels * (2 * a.attestShare + a.blockShare);
  // octez-client asks GET /authorized_keys before every signing request.
  const requests = signatures * 2;
  const gbSeconds = (signatures * a.signMs + signatures * a.authorizedKeysMs) / 1000 * (a.memoryMb / 1024);
  const logGb = (signatures * a.logBytesPerSign + signatures * a.logBytesPerAuthorizedKeys) / 1024 ** 3;
  const m = (n: number) => `${(n / 1e6).toFixed(3)} M`;
  const lines: Line[] = [
    { service: 'Lambda requests', detail: `${m(requests)} (signatures + GET /authorized_keys)`, usd: (requests / 1e6) * prices.lambda.request_per_million },
    { service: 'Lambda compute (arm64)', detail: `${gbSeconds.toFixed(0)} GB-s at ${a.memoryMb} MB`, usd: gbSeconds * prices.lambda.arm64_gb_second },
    { service: 'KMS keys', detail: `${a.keys} asymmetric key(s)`, usd: a.keys * prices.kms.asymmetric_key_month },
    { service: 'KMS Sign', detail: `${m(signatures)} requests`, usd: (signatures / 1e4) * prices.kms.asymmetric_sign_per_10k },
    { service: 'KMS Sign wasted', detail: `${(a.wastedSignShare * 100).toFixed(1)} % more: refused/repeated, started alongside the read`, usd: ((signatures * a.wastedSignShare) / 1e4) * prices.kms.asymmetric_sign_per_10k },
    { service: 'DynamoDB reads', detail: `${m(signatures)} consistent reads (1 RRU each)`, usd: (signatures / 1e6) * prices.dynamodb_on_demand.read_request_unit_per_million },
    { service: 'DynamoDB writes', detail: `${m(signatures)} conditional writes (1 WRU each)`, usd: (signatures / 1e6) * prices.dynamodb_on_demand.write_request_unit_per_million },
    { service: 'CloudWatch Logs', detail: `${logGb.toFixed(2)} GB ingested`, usd: logGb * prices.cloudwatch.logs_ingest_per_gb },
  ];
  if (options.monitoring) {
    lines.push(
      {
        service: 'CloudWatch metrics (EMF)',
        detail: `${a.customMetrics} custom, on events only (${a.eventHoursPerMetric} h a month each)`,
        usd: (a.customMetrics * prices.cloudwatch.custom_metric_month * a.eventHoursPerMetric) / prices.hours_per_month,
      },
      { service: 'CloudWatch alarms', detail: `${a.alarms} alarms (3 on free AWS metrics)`, usd: a.alarms * prices.cloudwatch.alarm_standard_month },
      ...(a.trail
        ? [
            {
              service: 'CloudTrail trail (S3)',
              detail: `${((signatures * a.trailBytesPerEvent) / 1024 ** 3).toFixed(2)} GB of logs a month (first copy of management events free)`,
              usd: ((signatures * a.trailBytesPerEvent) / 1024 ** 3) * prices.s3.standard_gb_month + (a.trailFilesPerMonth / 1000) * prices.s3.put_per_thousand,
            },
          ]
        : []),
      ...(a.tableWriteEvents ? [watermarkWriteWatch(prices, a).cloudtrailWrites] : []),
      {
        service: 'CloudWatch dashboard',
        detail: a.dashboardFree ? `${a.dashboards}, free as one of the account's first 3` : `${a.dashboards}, the account has 3 already`,
        usd: a.dashboardFree ? 0 : a.dashboards * prices.cloudwatch.dashboard_month,
      },
    );
  }
  if (exposure === 'http_api') lines.push({ service: 'API Gateway HTTP API', detail: `${m(requests)} requests`, usd: (requests / 1e6) * prices.api_gateway.http_api_per_million });
  if (exposure === 'private_rest_api') {
    lines.push({ service: 'API Gateway REST API (private)', detail: `${m(requests)} requests`, usd: (requests / 1e6) * prices.api_gateway.rest_api_per_million });
    // execute-api and KMS; DynamoDB is a free gateway endpoint, and Lambda's logs leave through the
    // Lambda service, not the function's network interfaces.
    const endpoints = 2;
    lines.push({
      service: 'VPC interface endpoints',
      detail: `${endpoints} endpoints (execute-api, KMS) × ${a.availabilityZones} AZ`,
      usd: endpoints * a.availabilityZones * prices.hours_per_month * prices.vpc_endpoint.interface_endpoint_hour_per_az,
    });
  }
  return lines;
}

/** Signatures a month: one watermark write each. */
function signaturesPerMonth(a: Assumptions): number {
  return ((DAYS * 86400) / a.blockSeconds) * (2 * a.attestShare + a.blockShare);
}

/**
 * Issue 16, point 3: the ways to see a watermark write by anyone but the signer, priced. CloudTrail
 * data events name the principal of each write (userIdentity); a DynamoDB stream record does not (its
 * userIdentity is set only for TTL deletions), so a stream checker could only flag a lowered value,
 * not who wrote it. The module uses CloudTrail, writes only (advanced event selectors); logging the
 * reads too (read_write_type "All", as before) doubles the events for nothing the rule uses.
 */
export function watermarkWriteWatch(prices: Prices, a: Assumptions): { cloudtrailWrites: Line; cloudtrailAll: Line; stream: Line } {
  const writes = signaturesPerMonth(a);
  const events = (n: number) => (n / 1e5) * prices.cloudtrail.data_events_per_100k + ((n * a.trailBytesPerEvent) / 1024 ** 3) * prices.s3.standard_gb_month;
  const m = (n: number) => `${(n / 1e6).toFixed(3)} M`;
  // A checker Lambda on the table's stream: Lambda reads a stream for free; one invocation per write
  // (they are seconds apart), 128 MB for ~10 ms each.
  const streamGbSeconds = writes * 0.01 * (128 / 1024);
  return {
    cloudtrailWrites: { service: 'CloudTrail data events (table)', detail: `${m(writes)} item writes, writes only, with their S3 logs`, usd: events(writes) },
    cloudtrailAll: { service: 'CloudTrail data events (table)', detail: `${m(2 * writes)} item reads and writes ("All")`, usd: events(2 * writes) },
    stream: {
      service: 'DynamoDB stream + checker Lambda',
      detail: `${m(writes)} invocations: sees a lowered value, not who wrote it`,
      usd: (writes / 1e6) * prices.lambda.request_per_million + streamGbSeconds * prices.lambda.arm64_gb_second,
    },
  };
}

/** The report's section on watching watermark writes (issue 16, point 3). */
function watermarkWatchReport(prices: Prices, a: Assumptions): string[] {
  const w = watermarkWriteWatch(prices, a);
  const row = (label: string, l: Line) => `  ${label.padEnd(32)} ${l.detail.padEnd(62)} $${l.usd.toFixed(2).padStart(7)}`;
  const url = monthly(prices, a, 'function_url').reduce((sum, l) => sum + l.usd, 0);
  const withWrites = monthly(prices, { ...a, tableWriteEvents: true }, 'function_url').reduce((sum, l) => sum + l.usd, 0);
  return [
    '',
    'watching watermark writes by anyone but the signer (table_data_event_rule_enabled; on in the examples):',
    row('CloudTrail, writes only (chosen)', w.cloudtrailWrites),
    row('CloudTrail, reads and writes', w.cloudtrailAll),
    row('DynamoDB stream + checker', w.stream),
    `  the function URL total with it: ${usd(withWrites)} (${usd(withWrites - url)} more; goal ${usd(GOAL_USD)}: ${withWrites <= GOAL_USD ? 'met' : 'NOT met'})`,
  ];
}

export const DEFAULTS: Assumptions = {
  blockSeconds: 6,
  blockShare: 0.01,
  attestShare: 1,
  memoryMb: 256,
  // Billed duration: the read and the KMS Sign overlap, then the write; plus ~9 ms of CPU at 256 MB.
  signMs: 25,
  authorizedKeysMs: 2,
  logBytesPerSign: typicalSignatureLineBytes() + CLOUDWATCH_EVENT_OVERHEAD,
  logBytesPerAuthorizedKeys: 0,
  // WatermarkRefusals, AuthFailures, Errors (docs/interfaces.md)
  customMetrics: METRICS.length,
  eventHoursPerMetric: 24,
  wastedSignShare: 0.01,
  // modules/monitoring/alarms.tf: Lambda Errors, Lambda Throttles, AuthFailures, WatermarkRefusals,
  // handler Errors, no signature for N minutes (test/unit/cost.test.ts counts them in the module)
  alarms: 6,
  dashboards: 1,
  dashboardFree: true,
  keys: 1,
  availabilityZones: 2,
  trail: true,
  trailBytesPerEvent: 200,
  trailFilesPerMonth: 8760,
  tableWriteEvents: false,
};

export function loadPrices(): Prices {
  return JSON.parse(readFileSync(resolve(import.meta.dirname, '../cost/prices.json'), 'utf8')) as Prices;
}

export const GOAL_USD = 16.5;

const total = (lines: Line[]) => lines.reduce((sum, l) => sum + l.usd, 0);
const usd = (n: number) => `$${n.toFixed(2)}`;

/** What `npm run cost` prints; docs/cost.md holds it verbatim (test/unit/cost.test.ts). */
export function report(prices: Prices, a: Assumptions): string {
  const out: string[] = [];
  const exposures: Exposure[] = ['function_url', 'http_api', 'private_rest_api'];
  const levels = (DAYS * 86400) / a.blockSeconds;
  out.push(`Monthly cost at ${a.blockSeconds}-second blocks: ${levels.toLocaleString('en')} levels, ${(levels * (2 * a.attestShare + a.blockShare)).toLocaleString('en')} signatures`);
  out.push(`(prices: ${prices.region}, ${prices.as_of}, cost/prices.json; Lambda ${a.memoryMb} MB, ${a.signMs} ms per signature; audit line ${a.logBytesPerSign} B)`, '');
  for (const exposure of exposures) {
    const lines = monthly(prices, a, exposure);
    out.push(`exposure ${exposure}`);
    for (const l of lines) out.push(`  ${l.service.padEnd(32)} ${l.detail.padEnd(62)} $${l.usd.toFixed(2).padStart(7)}`);
    out.push(`  ${'total'.padEnd(32)} ${''.padEnd(62)} $${total(lines).toFixed(2).padStart(7)}`, '');
  }
  const url = total(monthly(prices, a, 'function_url'));
  out.push(`goal (issue 10): at most ${usd(GOAL_USD)} with the Function URL, monitoring on: ${usd(url)}, ${url <= GOAL_USD ? 'met' : 'NOT met'}`);
  if (a.dashboardFree) out.push(`  in an account that already has 3 dashboards: ${usd(url + a.dashboards * prices.cloudwatch.dashboard_month)}`);
  out.push(`  without monitoring (no custom metrics, alarms or dashboard): ${usd(total(monthly(prices, a, 'function_url', { monitoring: false })))}`);
  out.push(...watermarkWatchReport(prices, a));
  // The original Lambda/DynamoDB/KMS design, like for like: 15-second blocks, no API, no metrics.
  const original = monthly(prices, { ...a, blockSeconds: 15 }, 'function_url', { monitoring: false });
  const kms = original.filter((l) => l.service.startsWith('KMS')).reduce((sum, l) => sum + l.usd, 0);
  out.push('', 'the original Lambda/DynamoDB/KMS design ("about $10 a month"), same model at 15-second blocks, no metrics:');
  out.push(`  total ${usd(total(original))} (of which KMS ${usd(kms)})`);
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------
// Multi-Region (docs/multi-region.md): what the layout adds to a single-Region signer's month.

/** The third Region of the MRSC set: a witness (two replicas) or a third full replica. */
export type ThirdRegion = 'witness' | 'replica';

/** The watermark item as the handler writes it (docs/interfaces.md): pk, level, round, digest, signature, pkh, chain, kind, time. */
export const WATERMARK_ITEM_BYTES = 350;

/**
 * The lines the multi-Region layout adds. The failover proxy sends each request to one Region, so
 * the per-request lines of monthly() are paid once, in whichever Region signs; what is added is the
 * replication of each watermark write, the replica keys and a standby function that costs nothing
 * until it receives requests.
 */
export function multiRegionLines(prices: Prices, a: Assumptions, third: ThirdRegion): Line[] {
  const signatures = signaturesPerMonth(a);
  // Each conditional write is replicated to every other replica: one more with a witness, two with three replicas.
  const otherReplicas = third === 'witness' ? 1 : 2;
  const rwru = signatures * otherReplicas;
  // The change data of each write leaves for both other Regions of the set (a witness receives it too).
  const transferGb = (signatures * WATERMARK_ITEM_BYTES * 2) / 1024 ** 3;
  const m = (n: number) => `${(n / 1e6).toFixed(3)} M`;
  return [
    {
      service: 'DynamoDB replicated writes',
      detail: `${m(rwru)} rWRU (${otherReplicas} other replica${otherReplicas > 1 ? 's' : ''}${third === 'witness' ? ', witness not billed' : ''})`,
      usd: (rwru / 1e6) * prices.multi_region.replicated_write_request_unit_per_million,
    },
    {
      service: 'Inter-Region replication',
      detail: `${transferGb.toFixed(2)} GB (${WATERMARK_ITEM_BYTES} B items to 2 Regions)`,
      usd: transferGb * prices.multi_region.inter_region_transfer_per_gb,
    },
    { service: 'KMS replica keys', detail: `${a.keys} replica key(s), billed as keys`, usd: a.keys * prices.kms.asymmetric_key_month },
    { service: 'Standby Lambda + Function URL', detail: 'billed per request: none while the other Region signs', usd: 0 },
  ];
}

/** What `npm run cost -- --multi-region` prints; docs/cost.md holds it verbatim under "Multi-Region". */
export function multiRegionReport(prices: Prices, a: Assumptions): string {
  const out: string[] = [];
  const base = total(monthly(prices, a, 'function_url'));
  out.push(`Multi-Region layout at ${a.blockSeconds}-second blocks: ${signaturesPerMonth(a).toLocaleString('en')} signatures, one Region signing at a time`);
  out.push(`(prices: ${prices.region}, ${prices.as_of}, cost/prices.json; exposure function_url, monitoring in the primary Region)`, '');
  for (const third of ['witness', 'replica'] as const) {
    const lines = multiRegionLines(prices, a, third);
    out.push(third === 'witness' ? 'two replicas and a witness (the default)' : 'three replicas');
    out.push(`  ${'single-Region signer'.padEnd(32)} ${'npm run cost, exposure function_url'.padEnd(62)} $${base.toFixed(2).padStart(7)}`);
    for (const l of lines) out.push(`  ${l.service.padEnd(32)} ${l.detail.padEnd(62)} $${l.usd.toFixed(2).padStart(7)}`);
    out.push(`  ${'total'.padEnd(32)} ${`+${usd(total(lines))} a month`.padEnd(62)} $${(base + total(lines)).toFixed(2).padStart(7)}`, '');
  }
  return out.join('\n') + '\n';
}

export const COST_USAGE = `usage: npm run cost -- [--block-seconds S] [--block-share F] [--attest-share F] [--memory MB]
                        [--wasted-sign-share F] [--paid-dashboard] [--multi-region] [--table-write-events]
                        [--json]

The monthly AWS cost of a signer, per exposure, from cost/prices.json.
  --block-seconds S       seconds per level (default ${DEFAULTS.blockSeconds})
  --block-share F         share of the levels whose block this baker signs (default ${DEFAULTS.blockShare})
  --attest-share F        share of the levels it (pre)attests (default ${DEFAULTS.attestShare})
  --memory MB             Lambda memory (default ${DEFAULTS.memoryMb})
  --wasted-sign-share F   share of requests whose early KMS Sign is thrown away (default ${DEFAULTS.wastedSignShare})
  --paid-dashboard        the account already has 3 dashboards: this one is paid
  --multi-region          what signing from two Regions adds (docs/multi-region.md)
  --table-write-events    count the watermark table's writes as CloudTrail data events (the examples)
  --json                  the figures as JSON
`;

/** The command line, or why it is not one: `help`, or a usage error to print with exit code 2. */
export function costArgs(argv: string[]): { assumptions: Assumptions; json: boolean; multiRegion: boolean } | { help: true } | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'block-seconds': { type: 'string' },
        'block-share': { type: 'string' },
        'attest-share': { type: 'string' },
        memory: { type: 'string' },
        'wasted-sign-share': { type: 'string' },
        'paid-dashboard': { type: 'boolean', default: false },
        'multi-region': { type: 'boolean', default: false },
        'table-write-events': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: true };
  const numbers: [keyof Assumptions, string | undefined][] = [
    ['blockSeconds', values['block-seconds']],
    ['blockShare', values['block-share']],
    ['attestShare', values['attest-share']],
    ['memoryMb', values.memory],
    ['wastedSignShare', values['wasted-sign-share']],
  ];
  const assumptions: Assumptions = { ...DEFAULTS, ...(values['paid-dashboard'] ? { dashboardFree: false } : {}), ...(values['table-write-events'] ? { tableWriteEvents: true } : {}) };
  for (const [field, text] of numbers) {
    if (text === undefined) continue;
    const value = Number(text);
    const positive = field === 'blockSeconds' || field === 'memoryMb';
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) return { error: `not a ${positive ? 'positive' : 'non-negative'} number: ${text}` };
    (assumptions as unknown as Record<string, number>)[field] = value;
  }
  return { assumptions, json: values.json, multiRegion: values['multi-region'] };
}

function main(): void {
  const parsed = costArgs(process.argv.slice(2));
  if ('help' in parsed) {
    process.stdout.write(COST_USAGE);
    return;
  }
  if ('error' in parsed) {
    process.stderr.write(`npm run cost: ${parsed.error}\n\n${COST_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const a = parsed.assumptions;
  const prices = loadPrices();
  if (parsed.multiRegion) {
    if (parsed.json) {
      const layouts = (['witness', 'replica'] as const).map((third) => ({ third, lines: multiRegionLines(prices, a, third), added: total(multiRegionLines(prices, a, third)) }));
      process.stdout.write(JSON.stringify({ prices: { region: prices.region, as_of: prices.as_of }, assumptions: a, singleRegion: total(monthly(prices, a, 'function_url')), layouts }, null, 2) + '\n');
    } else process.stdout.write(multiRegionReport(prices, a));
    return;
  }
  if (parsed.json) {
    const tables = (['function_url', 'http_api', 'private_rest_api'] as const).map((e) => ({ exposure: e, lines: monthly(prices, a, e) }));
    const original = monthly(prices, { ...a, blockSeconds: 15 }, 'function_url', { monitoring: false });
    process.stdout.write(JSON.stringify({ prices: { region: prices.region, as_of: prices.as_of }, assumptions: a, goal: GOAL_USD, tables: tables.map((t) => ({ ...t, total: total(t.lines) })), original15s: { lines: original, total: total(original) } }, null, 2) + '\n');
    return;
  }
  process.stdout.write(report(prices, a));
}

if (process.argv[1] && /cost\.(ts|mjs)$/.test(process.argv[1])) main();
