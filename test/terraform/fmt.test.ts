// What `terraform fmt -check` (run by CI) would reject, checked here without terraform.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { moduleDirs, rel, repoRoot, tfFiles } from '../../scripts/tf-files.mjs';
import { fmtProblems } from './lib/fmt.js';

describe('terraform fmt (alignment and indentation subset)', () => {
  it.each(moduleDirs().flatMap((d) => tfFiles(d)).map((f) => [rel(f), f]))('%s', (_name, file) => {
    expect(fmtProblems(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('the checker catches misaligned "=", bad indentation and trailing spaces', () => {
    const bad = 'resource "a" "b" {\n  name = "x"\n  description = "y"\n   tags = {}  \n}\n';
    expect(fmtProblems(bad).sort()).toEqual([
      'line 2: "=" at column 8, terraform fmt aligns it at 15',
      'line 4: trailing whitespace',
      'line 4: indented 3, expected 2',
      'line 4: "=" at column 9, terraform fmt aligns it at 16',
    ].sort());
    const good = 'resource "a" "b" {\n  name        = "x"\n  description = "y"\n  policy = jsonencode({\n    a = 1\n  })\n}\n';
    expect(fmtProblems(good)).toEqual([]);
  });
});

// The real thing when a terraform binary is on PATH (fmt needs no provider and no network).
const terraformVersion = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
const hasTerraform = terraformVersion.status === 0;
describe('terraform fmt -check (real binary)', () => {
  it.skipIf(!hasTerraform)(`terraform fmt -check -recursive passes${hasTerraform ? '' : ' (skipped: no terraform on PATH)'}`, () => {
    const r = spawnSync('terraform', ['fmt', '-check', '-recursive', '-diff', '-no-color', '.'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stdout, r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
