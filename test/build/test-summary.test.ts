// The closing line .ci/run prints comes from scripts/test-summary.mjs over one report per Node major:
// both are counted, and a report that is missing or ran nothing is a failure, not a silent pass.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const script = resolve(import.meta.dirname, '../../scripts/test-summary.mjs');
const dir = mkdtempSync(join(tmpdir(), 'test-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(name: string, statuses: string[], suiteFailed = false): string {
  const file = join(dir, name);
  const assertionResults = statuses.map((status, i) => ({ title: `t${i}`, status }));
  writeFileSync(file, JSON.stringify({ testResults: [{ name: 'a.test.ts', status: suiteFailed ? 'failed' : 'passed', assertionResults, message: 'boom' }] }));
  return file;
}

function run(files: string[]): { code: number; lines: string[] } {
  try {
    return { code: 0, lines: execFileSync(process.execPath, [script, ...files], { encoding: 'utf8' }).trim().split('\n') };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, lines: e.stdout.trim().split('\n') };
  }
}

describe('scripts/test-summary.mjs', () => {
  test('two reports: one line each, then the sum', () => {
    const a = report('a.json', ['passed', 'passed', 'skipped']);
    const b = report('b.json', ['passed']);
    const out = run([a, b]);
    expect(out.code).toBe(0);
    expect(out.lines).toEqual([`${a}: 2 passed, 0 failed, 1 skipped`, `${b}: 1 passed, 0 failed`, '3 passed, 0 failed, 1 skipped']);
  });

  test('a failure in either report fails the sum', () => {
    const out = run([report('c.json', ['passed']), report('d.json', ['passed', 'failed'])]);
    expect(out.code).toBe(1);
    expect(out.lines.at(-1)).toBe('2 passed, 1 failed');
  });

  test('a missing report, an empty one and a file that failed to load each count as a failure', () => {
    const missing = join(dir, 'missing.json');
    const out = run([report('e.json', ['passed']), missing, report('f.json', []), report('g.json', [], true)]);
    expect(out.code).toBe(1);
    expect(out.lines.some((l) => l.startsWith(`no vitest report at ${missing}`))).toBe(true);
    expect(out.lines.some((l) => l.startsWith('file failed outside any test: a.test.ts: boom'))).toBe(true);
    expect(out.lines.at(-1)).toBe('1 passed, 3 failed');
  });

  test('one report, as before: the plain line only', () => {
    const out = run([report('h.json', ['passed', 'passed'])]);
    expect(out.lines).toEqual(['2 passed, 0 failed']);
  });
});
