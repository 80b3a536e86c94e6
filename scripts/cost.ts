// `npm run cost`: the monthly AWS cost of a signer at mainnet pace, line by line, for each exposure,
// from the prices in cost/prices.json. Every assumption is a flag; the figures are estimates.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface Prices {
  region: string;
  as_of: string;
  lambda: { request_per_million: number; arm64_gb_second: number };
  kms: { asymmetric_key_month: number; asymmetric_sign_per_10k: number };
  dynamodb_on_demand: { read_request_unit_per_million: number; write_request_unit_per_million: number };
  cloudwatch: { logs_ingest_per_gb: number; custom_metric_month: number; alarm_standard_month: number; dashboard_month: number };
  api_gateway: { http_api_per_million: number; rest_api_per_million: number };
  vpc_endpoint: { interface_endpoint_hour_per_az: number; data_per_gb: number };
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
  logBytesPerSign: number;
  logBytesPerAuthorizedKeys: number;
  customMetrics: number;
  alarms: number;
  dashboards: number;
  keys: number;
  availabilityZones: number;
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
    { service: 'DynamoDB reads', detail: `${m(signatures)} consistent reads (1 RRU each)`, usd: (signatures / 1e6) * prices.dynamodb_on_demand.read_request_unit_per_million },
    { service: 'DynamoDB writes', detail: `${m(signatures)} conditional writes (1 WRU each)`, usd: (signatures / 1e6) * prices.dynamodb_on_demand.write_request_unit_per_million },
    { service: 'CloudWatch Logs', detail: `${logGb.toFixed(2)} GB ingested`, usd: logGb * prices.cloudwatch.logs_ingest_per_gb },
  ];
  if (options.monitoring) {
    lines.push(
      { service: 'CloudWatch metrics (EMF)', detail: `${a.customMetrics} custom metrics`, usd: a.customMetrics * prices.cloudwatch.custom_metric_month },
      { service: 'CloudWatch alarms', detail: `${a.alarms} alarms`, usd: a.alarms * prices.cloudwatch.alarm_standard_month },
      { service: 'CloudWatch dashboard', detail: `${a.dashboards} dashboard`, usd: a.dashboards * prices.cloudwatch.dashboard_month },
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

export const DEFAULTS: Assumptions = {
  blockSeconds: 6,
  blockShare: 0.01,
  attestShare: 1,
  memoryMb: 256,
  signMs: 30,
  authorizedKeysMs: 2,
  logBytesPerSign: 1400, // the request line (~700 B with EMF) plus Lambda's START/END/REPORT lines
  logBytesPerAuthorizedKeys: 900,
  // Signatures (all + 3 kinds), IdenticalRetries, Refusals (all + ~4 reasons seen), WatermarkRefusals,
  // AuthFailures, Errors, KmsLatency, DynamoDbLatency
  customMetrics: 16,
  alarms: 7,
  dashboards: 1,
  keys: 1,
  availabilityZones: 2,
};

export function loadPrices(): Prices {
  return JSON.parse(readFileSync(resolve(import.meta.dirname, '../cost/prices.json'), 'utf8')) as Prices;
}

export const COST_USAGE = `usage: npm run cost -- [--block-seconds S] [--block-share F] [--attest-share F] [--memory MB] [--json]

The monthly AWS cost of a signer, per exposure, from cost/prices.json.
  --block-seconds S   seconds per level (default ${DEFAULTS.blockSeconds})
  --block-share F     share of the levels whose block this baker signs (default ${DEFAULTS.blockShare})
  --attest-share F    share of the levels it (pre)attests (default ${DEFAULTS.attestShare})
  --memory MB         Lambda memory (default ${DEFAULTS.memoryMb})
  --json              the figures as JSON
`;

/** The command line, or why it is not one: `help`, or a usage error to print with exit code 2. */
export function costArgs(argv: string[]): { assumptions: Assumptions; json: boolean } | { help: true } | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'block-seconds': { type: 'string' },
        'block-share': { type: 'string' },
        'attest-share': { type: 'string' },
        memory: { type: 'string' },
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
  ];
  const assumptions: Assumptions = { ...DEFAULTS };
  for (const [field, text] of numbers) {
    if (text === undefined) continue;
    const value = Number(text);
    const positive = field === 'blockSeconds' || field === 'memoryMb';
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) return { error: `not a ${positive ? 'positive' : 'non-negative'} number: ${text}` };
    (assumptions as unknown as Record<string, number>)[field] = value;
  }
  return { assumptions, json: values.json };
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
  const values = { json: parsed.json };
  const prices = loadPrices();
  const exposures: Exposure[] = ['function_url', 'http_api', 'private_rest_api'];
  const tables = exposures.map((e) => ({ exposure: e, lines: monthly(prices, a, e) }));
  // The original Lambda/DynamoDB/KMS design, like for like: 15-second blocks, no API, no metrics.
  const original = monthly(prices, { ...a, blockSeconds: 15 }, 'function_url', { monitoring: false });
  const total = (lines: Line[]) => lines.reduce((s, l) => s + l.usd, 0);
  if (values.json) {
    process.stdout.write(JSON.stringify({ prices: { region: prices.region, as_of: prices.as_of }, assumptions: a, tables: tables.map((t) => ({ ...t, total: total(t.lines) })), original15s: { lines: original, total: total(original) } }, null, 2) + '\n');
    return;
  }
  const levels = (DAYS * 86400) / a.blockSeconds;
  console.log(`Monthly cost at ${a.blockSeconds}-second blocks: ${levels.toLocaleString('en')} levels, ${(levels * (2 * a.attestShare + a.blockShare)).toLocaleString('en')} signatures`);
  console.log(`(prices: ${prices.region}, ${prices.as_of}, cost/prices.json; Lambda ${a.memoryMb} MB, ${a.signMs} ms per signature)\n`);
  for (const t of tables) {
    console.log(`exposure ${t.exposure}`);
    for (const l of t.lines) console.log(`  ${l.service.padEnd(32)} ${l.detail.padEnd(58)} $${l.usd.toFixed(2).padStart(7)}`);
    console.log(`  ${'total'.padEnd(32)} ${''.padEnd(58)} $${total(t.lines).toFixed(2).padStart(7)}\n`);
  }
  console.log('the original Lambda/DynamoDB/KMS design ("about $10 a month"), same model at 15-second blocks, no metrics:');
  console.log(`  total $${total(original).toFixed(2)} (of which KMS $${original.filter((l) => l.service.startsWith('KMS')).reduce((s, l) => s + l.usd, 0).toFixed(2)})`);
}

if (process.argv[1] && /cost\.(ts|mjs)$/.test(process.argv[1])) main();
