// Reads vitest's JSON report and prints the plain closing line CI reads: `N passed, N failed, N skipped`.
// A test file that failed to load counts as one failure, so that a broken import cannot pass silently.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`no vitest report at ${file}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of report.testResults ?? []) {
  const results = suite.assertionResults ?? [];
  for (const test of results) {
    if (test.status === 'passed') passed++;
    else if (test.status === 'failed') failed++;
    else skipped++; // skipped, pending, todo
  }
  if (suite.status === 'failed' && !results.some((t) => t.status === 'failed')) {
    failed++;
    console.log(`file failed outside any test: ${suite.name}: ${(suite.message ?? '').split('\n')[0]}`);
  }
}
if (passed + failed === 0) {
  console.log('the report holds no test that ran');
  failed++;
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
