// Always runs in `npm test`: reports whether the e2e deployment (npm run test:e2e) would run here
// or be skipped, and checks the harness's offline parts.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareExample, prerequisites, skipStage } from '../e2e/harness.js';
import { repoRoot } from './lib/tf.js';

describe('e2e harness', () => {
  const pre = prerequisites();
  it(`e2e would ${pre.ready ? 'RUN' : 'be SKIPPED'} here: ${pre.reason}`, () => {
    console.log(`[e2e status] npm run test:e2e would ${pre.ready ? 'deploy for real' : `skip: ${pre.reason}`}`);
    expect(typeof pre.ready).toBe('boolean');
  });

  it('skips without terraform or credentials, with the reason', () => {
    const none = prerequisites({ PATH: '' });
    expect(none).toEqual({ ready: false, reason: 'terraform is not on PATH' });
  });

  it('reads SKIP_<stage> as Terratest does', () => {
    expect(skipStage('destroy', { SKIP_destroy: '1' })).toBe(true);
    expect(skipStage('destroy', { SKIP_destroy: 'false' })).toBe(false);
    expect(skipStage('destroy', {})).toBe(false);
  });

  it('copies an example and points its module source at the repository', () => {
    const dir = prepareExample('public');
    try {
      const main = readFileSync(join(dir, 'main.tf'), 'utf8');
      expect(main).toContain(`source = ${JSON.stringify(repoRoot)}`);
      expect(main).not.toContain('"../../"');
      expect(existsSync(join(dir, 'versions.tf'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
