// Terraform judges the module: `terraform validate` of every root, `plan` of every example,
// `terraform test` of every tests/ folder and the regression fixtures, against the offline hashicorp/aws
// provider at the lower-bound and the newest schema (scripts/tf-check.mjs, also `npm run tf:check`).
// Each check is one test here, so that CI's summary line counts them. Without a terraform binary on
// PATH the suite says so in one skipped test and checks nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { plannedChecks, runChecks, type CheckResult } from '../../scripts/tf-check.mjs';
import { terraformVersion } from '../../scripts/tf-offline.mjs';

const tf = terraformVersion();

describe.skipIf(tf === null)(`terraform ${tf ?? '(absent)'} judges the module, offline`, () => {
  const checks = plannedChecks();
  const results = new Map<string, CheckResult>();

  beforeAll(async () => {
    const done = await runChecks();
    for (const r of done?.results ?? []) results.set(r.name, r);
  }, 900_000);

  it('finds the roots, examples, tests and fixtures to check', () => {
    const kinds = new Set(checks.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['fixture', 'plan', 'scenario', 'test', 'validate']);
    expect(checks.some((c) => c.root === '.' && c.kind === 'validate')).toBe(true);
  });

  for (const check of checks) {
    it(check.name, () => {
      const r = results.get(check.name);
      expect(r, 'the check did not run').toBeDefined();
      if (!r!.ok) throw new Error(r!.detail);
    });
  }
});

if (tf === null) {
  describe('terraform judges the module, offline', () => {
    it.skip('skipped: no terraform binary on PATH, so nothing was validated, planned or tested (tf:check needs terraform >= 1.7)', () => {});
  });
}
