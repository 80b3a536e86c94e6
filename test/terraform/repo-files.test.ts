// Issue 8: the repository carries a LICENSE matching package.json and a Terraform .gitignore; a
// CHANGELOG in the Keep a Changelog format whose newest release is package.json's version.
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

  it('CHANGELOG.md follows Keep a Changelog, and its newest release is the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const changelog = readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8');
    expect(changelog.startsWith('# Changelog\n')).toBe(true);
    expect(changelog).toContain('keepachangelog.com');
    const headings = [...changelog.matchAll(/^## (.*)$/gm)].map((m) => m[1]!);
    expect(headings[0]).toBe('[Unreleased]');
    const releases = headings.slice(1).map((h) => /^\[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/.exec(h));
    expect(releases.every((r) => r !== null), `release headings "## [x.y.z] - YYYY-MM-DD": ${headings.slice(1).join(' | ')}`).toBe(true);
    expect(releases[0]![1]).toBe(pkg.version);
    const dates = releases.map((r) => r![2]!);
    expect(dates).toEqual([...dates].sort().reverse());
    const kinds = [...changelog.matchAll(/^### (.*)$/gm)].map((m) => m[1]!);
    expect(kinds.filter((k) => !['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'].includes(k))).toEqual([]);
  });
});

describe('the GitHub workflow', () => {
  it('the job that runs npm test installs terraform first, so the offline Terraform checks run instead of skipping', () => {
    const workflow = readFileSync(join(repoRoot, '.github/workflows/ci.yml'), 'utf8');
    const jobs = workflow.split(/^  (?=[a-z0-9-]+:\n)/m).filter((job) => /- run: npm test\b/.test(job));
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    const setup = job.indexOf('hashicorp/setup-terraform@');
    expect(setup, 'hashicorp/setup-terraform in the npm test job').toBeGreaterThan(-1);
    expect(setup).toBeLessThan(job.indexOf('- run: npm test'));
    // The wrapper is a Node script around the binary; the offline checks parse `terraform version -json` and
    // run terraform many times in parallel: the binary itself, as on the CI machine.
    expect(job).toMatch(/terraform_wrapper: false/);
  });
});

describe('partitions', () => {
  // A hard-coded "aws" partition or "com.amazonaws" prefix breaks the module in aws-cn and aws-us-gov:
  // ARNs come from data.aws_partition (or from the resources), endpoint services from its reverse_dns_prefix.
  it('no .tf file hard-codes the aws partition in an ARN or a VPC endpoint service name (outside comments, descriptions and messages)', async () => {
    const { allModules } = await import('./lib/tf.js');
    const offending: string[] = [];
    for (const mod of (await allModules()).values()) {
      for (const file of Object.keys(mod.files)) {
        readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
          const code = line.replace(/#.*$/, '');
          if (/^\s*(description|error_message)\s*=/.test(code)) return;
          if (/"arn:aws:|["$]\{?[^"]*\bcom\.amazonaws\./.test(code) || /"com\.amazonaws\./.test(code)) offending.push(`${file.slice(repoRoot.length + 1)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offending).toEqual([]);
  });
});
