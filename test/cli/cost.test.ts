// `tezos-signer cost` as an operator runs it (the committed dist/cli.mjs), and `npm run cost`, which runs
// the same command: the figures of the model, the flags that change them, JSON for scripts.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEFAULTS, FLOOD_DEFAULTS, floodReport, loadPrices, multiRegionReport, report } from '../../cli/cost-model.js';
import { cli, ROOT } from './run-cli.js';

describe('tezos-signer cost', () => {
  const prices = loadPrices();

  test('prints the model\'s month, its multi-Region layout and its flood, exit 0', async () => {
    const month = await cli(['cost']);
    expect(month).toMatchObject({ code: 0, stdout: report(prices, DEFAULTS) });
    expect((await cli(['cost', '--multi-region'])).stdout).toBe(multiRegionReport(prices, DEFAULTS));
    const flood = await cli(['cost', '--flood-rps', '1000', '--flood-hours', '24']);
    expect(flood).toMatchObject({ code: 0, stdout: floodReport(prices, DEFAULTS, { ...FLOOD_DEFAULTS, rps: 1000, hours: 24 }) });
  });

  test('the flags reach the model: memory, refusal time and the HTTP API throttle', async () => {
    const { stdout } = await cli(['cost', '--flood-rps', '100', '--flood-hours', '1', '--memory', '1024', '--flood-refusal-ms', '5', '--api-rate-limit', '50', '--json']);
    const out = JSON.parse(stdout) as { flood: { rps: number; hours: number; refusalCpuMs: number; apiRateLimit: number; billedMsPerRefusal: number }; exposures: { exposure: string; total: number; lines: { service: string; detail: string }[] }[] };
    expect(out.flood).toEqual({ rps: 100, hours: 1, refusalCpuMs: 5, apiRateLimit: 50, billedMsPerRefusal: 9 }); // 5 × 1769 / 1024 = 8.6
    const http = out.exposures.find((e) => e.exposure === 'http_api')!;
    expect(http.lines.find((l) => l.service === 'API Gateway HTTP API')!.detail).toContain('0.180 M admitted (50 rps)');
    expect(out.exposures.find((e) => e.exposure === 'function_url_iam')!.total).toBe(0);
    expect(out.exposures.find((e) => e.exposure === 'function_url')!.total).toBeGreaterThan(0);
  });

  test('--json lists function_url_iam with the month of function_url', async () => {
    const out = JSON.parse((await cli(['cost', '--json'])).stdout) as { tables: { exposure: string; total: number }[] };
    const totals = Object.fromEntries(out.tables.map((t) => [t.exposure, t.total]));
    expect(Object.keys(totals)).toEqual(['function_url', 'function_url_iam', 'http_api', 'private_rest_api']);
    expect(totals['function_url_iam']).toBe(totals['function_url']);
  });

  test('npm run cost runs this command (docs say `npm run cost -- FLAGS`)', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string>; files: string[] };
    expect(pkg.scripts['cost']).toBe('node bin/tezos-signer.mjs cost');
    // The prices ship with the package, which reads them at run time.
    expect(pkg.files).toContain('cost/prices.json');
  });

  test('listed in tezos-signer --help', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/^ {2}cost +the monthly AWS cost/m);
  });
});
