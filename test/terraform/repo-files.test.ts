// Issue 8: the repository carries a LICENSE matching package.json and a Terraform .gitignore.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './lib/tf.js';

const ignored = (path: string) => spawnSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: repoRoot }).status === 0;

describe('repository files', () => {
  it('LICENSE is the MIT license, as package.json says', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { license: string };
    expect(pkg.license).toBe('MIT');
    const license = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
    expect(license.startsWith('MIT License\n')).toBe(true);
    expect(license).toContain('Permission is hereby granted, free of charge, to any person obtaining a copy');
  });

  it('.gitignore keeps Terraform working files, state and lock files out, and the committed artefacts in', () => {
    for (const path of ['.terraform/providers/x', 'examples/public/.terraform/modules/modules.json', 'terraform.tfstate', 'examples/public/terraform.tfstate.backup', 'x.tfplan', 'examples/vpc-only/.terraform.lock.hcl', 'crash.log', 'node_modules/x/index.js']) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of ['lambda/dist/handler.zip', 'lambda/dist/handler.mjs', 'dist/cli.mjs', 'main.tf', 'examples/public/main.tf', 'test/terraform/fixtures/unknown-for-each/main.tf']) {
      expect(ignored(path), path).toBe(false);
    }
  });
});
