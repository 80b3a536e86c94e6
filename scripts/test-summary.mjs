// Reads vitest's JSON reports and prints the plain closing line CI reads: `N passed, N failed, N skipped`.
// Several reports (one per Node version in .ci/run) are counted together, each test once per report it
// ran in, with one line per report before the total. A test file that failed to load counts as one
// failure, and so does a missing or unreadable report, so that a broken import or a run that never
// wrote its report cannot pass silently.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Counts of one report: { passed, failed, skipped, notes }. */
export function countReport(file) {
  const out = { passed: 0, failed: 0, skipped: 0, notes: [] };
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    out.notes.push(`no vitest report at ${file}: ${error.message}`);
    out.failed++;
    return out;
  }
  for (const suite of report.testResults ?? []) {
    const results = suite.assertionResults ?? [];
    for (const test of results) {
      if (test.status === 'passed') out.passed++;
      else if (test.status === 'failed') out.failed++;
      else out.skipped++; // skipped, pending, todo
    }
    if (suite.status === 'failed' && !results.some((t) => t.status === 'failed')) {
      out.failed++;
      out.notes.push(`file failed outside any test: ${suite.name}: ${(suite.message ?? '').split('\n')[0]}`);
    }
  }
  if (out.passed + out.failed === 0) {
    out.notes.push(`${file}: the report holds no test that ran`);
    out.failed++;
  }
  return out;
}

export function line({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  if (files.length === 0) files.push('.vitest-report.json');
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const file of files) {
    const counts = countReport(file);
    for (const note of counts.notes) console.log(note);
    if (files.length > 1) console.log(`${file}: ${line(counts)}`);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  console.log(line(total));
  process.exit(total.failed > 0 ? 1 : 0);
}
