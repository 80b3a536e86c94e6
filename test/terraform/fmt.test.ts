// `terraform fmt -check`: with the real binary when one is on PATH, else with hclwrite compiled to
// WebAssembly (@cdktn/hcl-tools), the same formatter; both run when both are available.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rel, repoRoot } from '../../scripts/tf-files.mjs';
import { fmtProblems, formatHcl } from './lib/fmt.js';

/** Every .tf and .tftest.hcl file of the repository, fixtures included (what fmt -recursive sees). */
function hclFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hclFiles(path, out);
    else if (name.endsWith('.tf') || name.endsWith('.tftest.hcl')) out.push(path);
  }
  return out;
}

describe('terraform fmt (hclwrite as WebAssembly)', () => {
  it.each(hclFiles(repoRoot).map((f) => [rel(f), f]))('%s', async (_name, file) => {
    expect(await fmtProblems(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('the formatter is the real one: it aligns "=", fixes indentation and spacing, and keeps blank lines', async () => {
    const bad = 'resource "a" "b" {\n  name = "x"\n  description = "y"\n   tags = {}  \n  list = [1,2]\n\n\n  x=1\n}\n';
    expect(await formatHcl(bad)).toBe('resource "a" "b" {\n  name        = "x"\n  description = "y"\n  tags        = {}\n  list        = [1, 2]\n\n\n  x = 1\n}\n');
    const good = 'resource "a" "b" {\n  name        = "x"\n  description = "y"\n\n  policy = jsonencode({\n    a = 1\n  })\n}\n';
    expect(await fmtProblems(good)).toEqual([]);
  });
});

const terraformVersion = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
const hasTerraform = terraformVersion.status === 0;
describe('terraform fmt -check (real binary)', () => {
  it.skipIf(!hasTerraform)(`terraform fmt -check -recursive passes${hasTerraform ? '' : ' (skipped: no terraform on PATH)'}`, () => {
    const r = spawnSync('terraform', ['fmt', '-check', '-recursive', '-diff', '-no-color', '.'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
    expect(r.stdout, r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
