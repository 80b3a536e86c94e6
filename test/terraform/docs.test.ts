// 6. The inputs/outputs tables of README.md (and of each example's README) are generated from
// variables.tf/outputs.tf by scripts/tf-docs.mjs and must be in sync.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOC_DIRS, renderDocs, splice } from '../../scripts/tf-docs.mjs';
import { repoRoot } from './lib/tf.js';

describe('generated Terraform docs', () => {
  it.each(DOC_DIRS)('%s/README.md is in sync with its variables and outputs (else npm run tf:docs)', async (dir) => {
    const path = join(repoRoot, dir, 'README.md');
    expect(existsSync(path)).toBe(true);
    const readme = readFileSync(path, 'utf8');
    expect(splice(readme, await renderDocs(join(repoRoot, dir)))).toBe(readme);
  });

  it('the root README lists every input and output of the module', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const name of ['authorized_keys', 'key_admin_role_arns', 'exposure', 'lambda_reserved_concurrent_executions']) expect(readme).toContain(`[${name}](#input\\_${name.replace(/_/g, '\\_')})`);
    for (const name of ['signer_url', 'key_arns', 'table_name', 'lambda_role_arn', 'next_steps']) expect(readme).toContain(`<a name="output_${name}"></a>`);
  });
});
