// The cost model of `tezos-signer cost` (commands/cost.ts): the monthly AWS cost of a signer at mainnet
// pace, line by line, for each exposure, from the prices in cost/prices.json, and what a flood of
// unauthenticated requests adds. Pure arithmetic over the prices; the figures are estimates.
import { readFileSync } from 'node:fs';
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

export interface Prices {
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

/** The module's `exposure` values. function_url_iam bills as function_url: a Function URL has no charge
 * of its own, whatever its auth type; they differ under a flood (flood()). */
export type Exposure = 'function_url' | 'function_url_iam' | 'http_api' | 'private_rest_api';
export const EXPOSURES: readonly Exposure[] = ['function_url', 'function_url_iam', 'http_api', 'private_rest_api'];

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

/** cost/prices.json, shipped in the package: it sits one folder above both cli/ and dist/cli.mjs. */
export function loadPrices(): Prices {
  return JSON.parse(readFileSync(new URL('../cost/prices.json', import.meta.url), 'utf8')) as Prices;
}

export const GOAL_USD = 16.5;

export const total = (lines: Line[]) => lines.reduce((sum, l) => sum + l.usd, 0);
const usd = (n: number) => `$${n.toFixed(2)}`;

/** What `tezos-signer cost` (`npm run cost`) prints; docs/cost.md holds it verbatim (test/unit/cost.test.ts). */
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
  out.push(`exposure function_url_iam: the lines of function_url, ${usd(total(monthly(prices, a, 'function_url_iam')))}; a Function URL has no charge of its own (floods differ: --flood-rps)`, '');
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

/** What `tezos-signer cost --multi-region` prints; docs/cost.md holds it verbatim under "Multi-Region". */
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

// ---------------------------------------------------------------------------------------------------
// Floods (docs/cost.md, "Floods"): what a flood of unauthenticated requests adds to the month, per exposure.

export interface Flood {
  /** Requests a second from the internet, none of them made by an authorized key. */
  rps: number;
  hours: number;
  /** CPU time the handler spends refusing one request, on a full core (what `npm run bench` measures). */
  refusalCpuMs: number;
  /** The HTTP API stage's steady-state throttle (`api_throttling_rate_limit`), requests a second. */
  apiRateLimit: number;
}

export const FLOOD_DEFAULTS: Omit<Flood, 'rps'> = {
  hours: 24,
  // README "HTTP API": the dearest forged authentication measured, a secp256k1 recovery (the generic
  // `sig…` form against 8 sppk keys), steady median 1.97 ms. A request without any `authentication`
  // costs less; the flood is priced at the dearest refusal an attacker can choose.
  refusalCpuMs: 1.97,
  // variables.tf, api_throttling_rate_limit's default (test/unit/cost.test.ts reads it there).
  apiRateLimit: 20,
};

/** Lambda gives a function one vCPU at 1,769 MB and CPU in proportion below (Lambda: "Configure memory"). */
const MB_PER_VCPU = 1769;

/** The billed duration of one refusal: its CPU time stretched by the function's share of a core, in
 * whole milliseconds as Lambda bills. The model's signMs makes the same stretch (~9 ms at 256 MB). */
export function refusalBilledMs(a: Assumptions, flood: Flood): number {
  return Math.max(1, Math.ceil(flood.refusalCpuMs * Math.max(1, MB_PER_VCPU / a.memoryMb)));
}

/** The audit line of a forged authentication, as the handler writes it: refusals are logged, with the
 * AuthFailures metric (its `_aws` block). The message is auth.ts's AuthenticationFailed. */
export function refusalLineBytes(): number {
  const pkh = 'tz2BFTyPeYRzxd5aiBchbXN3WCZhx7BqbMBq';
  const line = logLine(
    {
      requestId: '8f6a5c3e-1b2d-4e5f-9a8b-7c6d5e4f3a2b',
      method: 'POST',
      route: 'key',
      status: 403,
      outcome: 'refused',
      reason: 'authentication',
      message: `authentication refused: no authorized key signed these bytes for ${pkh}`,
      pkh,
      durationMs: 2.12,
    },
    'TezosSigner',
    'tezos-signer',
    1_767_225_600_000,
  );
  return Buffer.byteLength(JSON.stringify(line) + '\n') + CLOUDWATCH_EVENT_OVERHEAD;
}

/** What the flood adds to the month at one exposure: a line per service it is billed by (none: refused for free). */
export function flood(prices: Prices, a: Assumptions, exposure: Exposure, f: Flood): Line[] {
  const requests = f.rps * f.hours * 3600;
  const m = (n: number) => `${(n / 1e6).toFixed(3)} M`;
  /** The handler refuses each request it is given: an invocation, its duration and its log line. */
  const refusedByHandler = (n: number, why: string): Line[] => {
    const billedMs = refusalBilledMs(a, f);
    const gbSeconds = ((n * billedMs) / 1000) * (a.memoryMb / 1024);
    const logGb = (n * refusalLineBytes()) / 1024 ** 3;
    return [
      { service: 'Lambda requests', detail: `${m(n)} ${why}`, usd: (n / 1e6) * prices.lambda.request_per_million },
      { service: 'Lambda compute (arm64)', detail: `${gbSeconds.toFixed(0)} GB-s (${billedMs} ms each at ${a.memoryMb} MB)`, usd: gbSeconds * prices.lambda.arm64_gb_second },
      { service: 'CloudWatch Logs', detail: `${logGb.toFixed(2)} GB ingested (a refusal line each, AuthFailures)`, usd: logGb * prices.cloudwatch.logs_ingest_per_gb },
    ];
  };
  switch (exposure) {
    case 'function_url':
      return refusedByHandler(requests, 'refused by the handler (authorization NONE)');
    case 'function_url_iam':
      // Lambda checks the SigV4 signature of an AWS_IAM Function URL before it invokes the function, and
      // bills invocations: an unsigned or forged request costs no request, duration or log line.
      return [{ service: 'Function URL (AWS_IAM)', detail: `${m(requests)} refused by Lambda before invocation (403)`, usd: 0 }];
    case 'http_api': {
      // The stage admits its rate limit (the burst bucket is a one-off); the rest get 429, which API
      // Gateway does not bill (docs/cost.md, "Floods", says where that comes from). The baker's own
      // requests queue in the same bucket.
      const admitted = Math.min(f.rps, f.apiRateLimit) * f.hours * 3600;
      return [
        { service: 'API Gateway HTTP API', detail: `${m(admitted)} admitted (${f.apiRateLimit} rps); ${m(requests - admitted)} got 429, not billed`, usd: (admitted / 1e6) * prices.api_gateway.http_api_per_million },
        ...refusedByHandler(admitted, 'admitted, refused by the handler'),
      ];
    }
    case 'private_rest_api':
      return [{ service: 'API Gateway REST API (private)', detail: 'not reachable from the internet (VPC endpoints only)', usd: 0 }];
  }
}

/** What `tezos-signer cost --flood-rps N` prints; docs/cost.md holds it verbatim under "Floods". */
export function floodReport(prices: Prices, a: Assumptions, f: Flood): string {
  const requests = f.rps * f.hours * 3600;
  const out: string[] = [];
  out.push(`Flood of ${f.rps.toLocaleString('en')} unauthenticated requests a second for ${f.hours} h: ${requests.toLocaleString('en')} requests, on top of the month`);
  out.push(
    `(prices: ${prices.region}, ${prices.as_of}, cost/prices.json; a refusal ${f.refusalCpuMs} ms of CPU, billed ${refusalBilledMs(a, f)} ms at ${a.memoryMb} MB; refusal line ${refusalLineBytes()} B)`,
    '',
  );
  for (const exposure of EXPOSURES) {
    const lines = flood(prices, a, exposure, f);
    out.push(`exposure ${exposure}`);
    for (const l of lines) out.push(`  ${l.service.padEnd(32)} ${l.detail.padEnd(62)} $${l.usd.toFixed(2).padStart(7)}`);
    out.push(`  ${'total'.padEnd(32)} ${`+${usd(total(lines))} for the flood`.padEnd(62)} $${total(lines).toFixed(2).padStart(7)}`);
    if (exposure === 'http_api' && f.rps > f.apiRateLimit) {
      out.push(`  the baker's requests share the ${f.apiRateLimit} rps: about ${((f.apiRateLimit / f.rps) * 100).toFixed(1)} % of them get through while it lasts`);
    }
    out.push('');
  }
  return out.join('\n') + '\n';
}
