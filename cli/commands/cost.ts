// `tezos-signer cost`: the monthly AWS cost of a signer, per exposure, and what a flood adds; the model
// is cost-model.ts, this is its command line. `npm run cost` runs it too.
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type Command } from '../command.js';
import { printJson } from '../aws.js';
import {
  DEFAULTS,
  EXPOSURES,
  FLOOD_DEFAULTS,
  GOAL_USD,
  flood,
  floodReport,
  loadPrices,
  monthly,
  multiRegionLines,
  multiRegionReport,
  refusalBilledMs,
  report,
  total,
  type Assumptions,
  type Flood,
} from '../cost-model.js';

const usage = `usage: tezos-signer cost [--block-seconds S] [--block-share F] [--attest-share F] [--memory MB]
                         [--wasted-sign-share F] [--paid-dashboard] [--multi-region] [--table-write-events]
                         [--flood-rps N [--flood-hours H] [--flood-refusal-ms MS] [--api-rate-limit RPS]]
                         [--json]

The monthly AWS cost of a signer, per exposure, from cost/prices.json (docs/cost.md). Also \`npm run cost\`.
  --block-seconds S       seconds per level (default ${DEFAULTS.blockSeconds})
  --block-share F         share of the levels whose block this baker signs (default ${DEFAULTS.blockShare})
  --attest-share F        share of the levels it (pre)attests (default ${DEFAULTS.attestShare})
  --memory MB             Lambda memory (default ${DEFAULTS.memoryMb})
  --wasted-sign-share F   share of requests whose early KMS Sign is thrown away (default ${DEFAULTS.wastedSignShare})
  --paid-dashboard        the account already has 3 dashboards: this one is paid
  --multi-region          what signing from two Regions adds (docs/multi-region.md)
  --table-write-events    count the watermark table's writes as CloudTrail data events (the examples)
  --flood-rps N           instead of the month: what a flood of N unauthenticated requests a second adds,
                          per exposure (docs/cost.md, "Floods")
  --flood-hours H         how long the flood lasts (default ${FLOOD_DEFAULTS.hours})
  --flood-refusal-ms MS   CPU time, on a full core, the handler spends refusing one request (default
                          ${FLOOD_DEFAULTS.refusalCpuMs}: the dearest forged authentication measured, README "HTTP API")
  --api-rate-limit RPS    the HTTP API stage's throttle, api_throttling_rate_limit (default ${FLOOD_DEFAULTS.apiRateLimit})
  --json                  the figures as JSON
Exit codes: 0 printed; 2 usage.
`;

export interface CostArgs {
  assumptions: Assumptions;
  json: boolean;
  multiRegion: boolean;
  /** Given with --flood-rps only. */
  flood?: Flood;
}

/** A number flag's value: finite, at least 0, above 0 where zero means nothing (a block time, a rate). */
function number(flag: string, text: string | undefined, kind: 'positive' | 'non-negative'): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (kind === 'positive' && value === 0)) throw new UsageError(`--${flag}: not a ${kind} number: ${text}`);
  return value;
}

/** The command line as the model's inputs; a UsageError for anything else. */
export function costArgs(argv: string[]): CostArgs {
  const { values } = parseArgs({
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
      'flood-rps': { type: 'string' },
      'flood-hours': { type: 'string' },
      'flood-refusal-ms': { type: 'string' },
      'api-rate-limit': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const assumptions: Assumptions = { ...DEFAULTS, ...(values['paid-dashboard'] ? { dashboardFree: false } : {}), ...(values['table-write-events'] ? { tableWriteEvents: true } : {}) };
  assumptions.blockSeconds = number('block-seconds', values['block-seconds'], 'positive') ?? assumptions.blockSeconds;
  assumptions.blockShare = number('block-share', values['block-share'], 'non-negative') ?? assumptions.blockShare;
  assumptions.attestShare = number('attest-share', values['attest-share'], 'non-negative') ?? assumptions.attestShare;
  assumptions.memoryMb = number('memory', values.memory, 'positive') ?? assumptions.memoryMb;
  assumptions.wastedSignShare = number('wasted-sign-share', values['wasted-sign-share'], 'non-negative') ?? assumptions.wastedSignShare;
  const rps = number('flood-rps', values['flood-rps'], 'positive');
  const floodOptions = {
    hours: number('flood-hours', values['flood-hours'], 'positive'),
    refusalCpuMs: number('flood-refusal-ms', values['flood-refusal-ms'], 'non-negative'),
    apiRateLimit: number('api-rate-limit', values['api-rate-limit'], 'positive'),
  };
  const parsed: CostArgs = { assumptions, json: values.json, multiRegion: values['multi-region'] };
  if (rps === undefined) {
    const stray = Object.entries({ 'flood-hours': floodOptions.hours, 'flood-refusal-ms': floodOptions.refusalCpuMs, 'api-rate-limit': floodOptions.apiRateLimit }).find(([, v]) => v !== undefined);
    // A flood setting alone would be ignored silently: the month's tables do not use it.
    if (stray !== undefined) throw new UsageError(`--${stray[0]} needs --flood-rps`);
    return parsed;
  }
  if (parsed.multiRegion) throw new UsageError('--multi-region and --flood-rps print different reports: give one of them');
  return {
    ...parsed,
    flood: {
      rps,
      hours: floodOptions.hours ?? FLOOD_DEFAULTS.hours,
      refusalCpuMs: floodOptions.refusalCpuMs ?? FLOOD_DEFAULTS.refusalCpuMs,
      apiRateLimit: floodOptions.apiRateLimit ?? FLOOD_DEFAULTS.apiRateLimit,
    },
  };
}

export const cost: Command = {
  name: 'cost',
  summary: 'the monthly AWS cost per exposure, and what a flood adds (docs/cost.md)',
  usage,
  async run(argv) {
    const { assumptions: a, json, multiRegion, flood: f } = costArgs(argv);
    const prices = loadPrices();
    const source = { region: prices.region, as_of: prices.as_of };
    if (f !== undefined) {
      if (!json) process.stdout.write(floodReport(prices, a, f));
      else {
        const exposures = EXPOSURES.map((exposure) => ({ exposure, lines: flood(prices, a, exposure, f), total: total(flood(prices, a, exposure, f)) }));
        printJson({ prices: source, assumptions: a, flood: { ...f, billedMsPerRefusal: refusalBilledMs(a, f) }, exposures });
      }
      return EXIT.ok;
    }
    if (multiRegion) {
      if (!json) process.stdout.write(multiRegionReport(prices, a));
      else {
        const layouts = (['witness', 'replica'] as const).map((third) => ({ third, lines: multiRegionLines(prices, a, third), added: total(multiRegionLines(prices, a, third)) }));
        printJson({ prices: source, assumptions: a, singleRegion: total(monthly(prices, a, 'function_url')), layouts });
      }
      return EXIT.ok;
    }
    if (!json) {
      process.stdout.write(report(prices, a));
      return EXIT.ok;
    }
    const tables = EXPOSURES.map((e) => ({ exposure: e, lines: monthly(prices, a, e) }));
    const original = monthly(prices, { ...a, blockSeconds: 15 }, 'function_url', { monitoring: false });
    printJson({ prices: source, assumptions: a, goal: GOAL_USD, tables: tables.map((t) => ({ ...t, total: total(t.lines) })), original15s: { lines: original, total: total(original) } });
    return EXIT.ok;
  },
};
