#!/usr/bin/env node
// npm run tf:check: Terraform itself judges the module, offline, against every committed provider
// schema (the lower bound and the newest):
//   - `terraform init` + `validate` of every root: the module, each modules/*, each examples/* stack;
//   - `terraform plan` of every example with its sample.tfvars;
//   - `terraform test` wherever a tests/ folder holds *.tftest.hcl files;
//   - the regression fixtures under test/terraform/fixtures, each of which must FAIL with the error
//     its expect-error.txt names (they prove the checks catch what they are meant to catch);
//   - the scenarios under test/terraform/scenarios: a root and an ordered list of terraform commands
//     on one state (apply, then plans that must fail or pass), for what only a prior state shows,
//     such as the consensus key guard refusing a plan that would replace or destroy an applied key.
// Where terraform is not on PATH it says so in one line and checks nothing.
// The suite test/terraform/tf-check.test.ts runs the same checks, so that `npm test` counts them.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installOfflineProvider, repoRoot, scratchCopy, schemaVersions, terraform, terraformVersion } from './tf-offline.mjs';

const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', 'tmp', 'test', 'lambda', 'dist', 'cli', 'local', 'docs']);

/** Every folder with .tf files outside tests and tooling: the Terraform roots and modules. */
export function terraformRoots(dir = repoRoot, out = []) {
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) out.push(relative(repoRoot, dir) || '.');
  for (const e of entries) if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) terraformRoots(join(dir, e.name), out);
  return out.sort();
}

/** The regression fixtures: each a root that must fail with a known error. */
export function fixtures() {
  const dir = join(repoRoot, 'test/terraform/fixtures');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'expect-error.txt')))
    .map((e) => {
      const root = `test/terraform/fixtures/${e.name}`;
      const spec = readFileSync(join(repoRoot, root, 'expect-error.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
      // First line: the command (validate or plan); the others: text the output must contain.
      return { root, command: spec[0] ?? 'plan', expect: spec.slice(1) };
    });
}

/**
 * The scenarios: each folder of test/terraform/scenarios with a scenario.json, an ordered list of
 * steps `{ "args": [...], "expect": "ok" | "fail", "contains": [...], "errors": N, "why": "..." }` run in that
 * folder on one local state. A step passes when terraform exits as expected and its output holds
 * every `contains` text. `"root": "examples/public"` runs the steps in that root instead of the folder.
 */
export function scenarios() {
  const dir = join(repoRoot, 'test/terraform/scenarios');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'scenario.json')))
    .map((e) => {
      const spec = JSON.parse(readFileSync(join(dir, e.name, 'scenario.json'), 'utf8'));
      return { name: `test/terraform/scenarios/${e.name}`, root: spec.root ?? `test/terraform/scenarios/${e.name}`, steps: spec.steps };
    });
}

/** The checks, named before any runs, so that a test runner can list them. */
export function plannedChecks(versions = schemaVersions()) {
  const roots = terraformRoots();
  const checks = [];
  for (const version of versions) {
    for (const root of roots) {
      checks.push({ version, root, kind: 'validate', name: `aws ${version}: terraform validate ${root}` });
      if (root.startsWith('examples/')) checks.push({ version, root, kind: 'plan', name: `aws ${version}: terraform plan ${root} (sample.tfvars)` });
      const tests = join(repoRoot, root, 'tests');
      if (existsSync(tests) && readdirSync(tests).some((f) => f.endsWith('.tftest.hcl'))) checks.push({ version, root, kind: 'test', name: `aws ${version}: terraform test ${root}` });
    }
    for (const f of fixtures()) checks.push({ version, root: f.root, kind: 'fixture', command: f.command, expect: f.expect, name: `aws ${version}: ${f.command} ${f.root} fails as it must` });
  }
  // A scenario proves what Terraform itself does with a prior state (prevent_destroy, preconditions),
  // not a provider schema: each runs once, on one version, spread over the versions (which run side
  // by side) to keep tf:check's wall time.
  scenarios().forEach((sc, i) => {
    const version = versions[i % versions.length];
    checks.push({ version, root: sc.root, kind: 'scenario', steps: sc.steps, name: `aws ${version}: scenario ${sc.name}` });
  });
  return checks;
}

function tail(output, lines = 60) {
  return output.trim().split('\n').slice(-lines).join('\n');
}

/** Runs a scenario's steps in order on one state; stops at the first step that does not go as expected. */
async function runScenario(steps, cwd, cliConfig) {
  const done = [];
  for (const [i, step] of steps.entries()) {
    const r = await terraform(step.args, { cwd, cliConfig });
    const ok = step.expect === 'fail' ? r.code !== 0 : r.code === 0;
    const missing = (step.contains ?? []).filter((text) => !r.output.replace(/\s+/g, ' ').includes(text));
    const errors = (r.output.match(/^Error: /gm) ?? []).length;
    if (step.errors !== undefined && errors !== step.errors) missing.push(`exactly ${step.errors} error(s), not ${errors}`);
    const label = `step ${i + 1} (terraform ${step.args.join(' ')}${step.why ? `: ${step.why}` : ''})`;
    if (!ok || missing.length) {
      const wanted = step.expect === 'fail' ? 'expected a failure, but it succeeded' : `failed (exit ${r.code})`;
      return { ok: false, detail: `${label}: ${!ok ? wanted : `without: ${missing.join(' / ')}`}\n${tail(r.output)}` };
    }
    done.push(step.expect === 'fail' ? 'refused' : 'ok');
  }
  return { ok: true, detail: `${steps.length} steps: ${done.join(', ')}` };
}

/** Runs one version's checks in one scratch copy; roots one after another (each is its own init). */
async function runVersion(install, checks, report) {
  const copy = scratchCopy();
  const initialised = new Map();
  const init = async (root) => {
    if (!initialised.has(root)) initialised.set(root, await terraform(['init', '-backend=false', '-input=false'], { cwd: join(copy.dir, root), cliConfig: install.cliConfig }));
    return initialised.get(root);
  };
  try {
    for (const check of checks) {
      const cwd = join(copy.dir, check.root);
      const started = Date.now();
      const i = await init(check.root);
      let result;
      if (i.code !== 0) {
        result = { ok: false, detail: `terraform init failed:\n${tail(i.output)}` };
      } else if (check.kind === 'validate') {
        const r = await terraform(['validate'], { cwd, cliConfig: install.cliConfig });
        result = { ok: r.code === 0, detail: tail(r.output) };
      } else if (check.kind === 'plan') {
        const args = ['plan', '-input=false', '-lock=false', '-refresh=false'];
        if (existsSync(join(cwd, 'sample.tfvars'))) args.push('-var-file=sample.tfvars');
        const r = await terraform(args, { cwd, cliConfig: install.cliConfig });
        const summary = r.output.match(/Plan: .*/)?.[0] ?? '';
        result = { ok: r.code === 0, detail: r.code === 0 ? summary : tail(r.output) };
      } else if (check.kind === 'test') {
        const r = await terraform(['test'], { cwd, cliConfig: install.cliConfig, timeoutMs: 300_000 });
        const summary = r.output.match(/(Success!|Failure!) .*/)?.[0] ?? '';
        result = { ok: r.code === 0, detail: r.code === 0 ? summary : tail(r.output, 120) };
      } else if (check.kind === 'scenario') {
        // Scenarios run last in a copy; the state they leave is removed so that nothing else reads it.
        result = await runScenario(check.steps, cwd, install.cliConfig);
        for (const f of ['terraform.tfstate', 'terraform.tfstate.backup']) rmSync(join(cwd, f), { force: true });
      } else {
        const args = check.command === 'plan' ? ['plan', '-input=false', '-lock=false', '-refresh=false'] : [check.command];
        const r = await terraform(args, { cwd, cliConfig: install.cliConfig });
        const missing = check.expect.filter((text) => !r.output.includes(text));
        result = r.code !== 0 && missing.length === 0
          ? { ok: true, detail: `failed as expected: ${check.expect.join(' / ')}` }
          : { ok: false, detail: r.code === 0 ? `expected a failure, but ${check.command} succeeded` : `failed, but without: ${missing.join(' / ')}\n${tail(r.output)}` };
      }
      report({ ...check, ...result, ms: Date.now() - started });
    }
  } finally {
    copy.remove();
  }
}

/**
 * Runs every check, the provider versions side by side (each in its own copy); `report` gets each
 * result as it comes. Returns null (and checks nothing) when terraform is not on PATH.
 */
export async function runChecks(report = () => {}) {
  const tfVersion = terraformVersion();
  if (tfVersion === null) return null;
  const installs = await installOfflineProvider();
  const results = [];
  const checks = plannedChecks(installs.map((i) => i.version));
  await Promise.all(
    installs.map((install) =>
      runVersion(install, checks.filter((c) => c.version === install.version), (r) => {
        results.push(r);
        report(r);
      }),
    ),
  );
  return { terraform: tfVersion, results };
}

async function main() {
  const done = await runChecks((r) => console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.ok ? (r.detail ? `: ${r.detail}` : '') : `\n${r.detail.replace(/^/gm, '     ')}`}`));
  if (done === null) {
    console.log('tf:check: skipped: no terraform binary on PATH (the checks need terraform >= 1.7; nothing was checked)');
    return;
  }
  const failed = done.results.filter((r) => !r.ok).length;
  console.log(`tf:check (terraform ${done.terraform}): ${done.results.length - failed} passed, ${failed} failed`);
  if (failed) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
