// docs/recovery.md tells an operator which address to `terraform import` a cancelled-deletion key to.
// A wrong address imports nothing useful and the next apply creates a new key (a new tz address): the
// address must resolve, module by module, to the consensus key in the module as it is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleAt, repoRoot } from './lib/tf.js';

const doc = readFileSync(join(repoRoot, 'docs/recovery.md'), 'utf8');

/** Every import address the doc gives: `terraform import '<addr>' …` and `to = <addr>`. */
const addresses = [...doc.matchAll(/terraform import '([^']+)'/g), ...doc.matchAll(/^\s*to = (\S+)$/gm)].map((m) => m[1]!);

describe('docs/recovery.md: the import address of a consensus key', () => {
  it('gives the same address in the command and in the import block', () => {
    expect(addresses.length).toBe(2);
    expect(new Set(addresses).size).toBe(1);
  });

  it('resolves in each example that calls the module: module "signer" → module "kms_key" (one per entry of keys) → aws_kms_key.this', async () => {
    const match = /^module\.signer\.module\.kms_key\["([a-z0-9_-]+)"\]\.aws_kms_key\.this$/.exec(addresses[0]!);
    expect(match, addresses[0]).not.toBeNull();
    const keyName = match![1]!;

    const root = await moduleAt('.');
    const kmsKey = root.module.kms_key as { source: string; for_each: string };
    expect(kmsKey.source).toBe('./modules/kms-key');
    expect(kmsKey.for_each).toBe('${var.keys}');
    // The doc's key name is the module's default entry, the one the walk-through uses.
    expect(Object.keys((root.variable.keys as { default: Record<string, unknown> }).default)).toContain(keyName);

    const submodule = await moduleAt('modules/kms-key');
    expect(Object.keys(submodule.resource.aws_kms_key ?? {})).toEqual(['this']);

    for (const example of ['examples/public', 'examples/vpc-only', 'examples/dedicated-account']) {
      const mod = await moduleAt(example);
      expect((mod.module.signer as { source?: string } | undefined)?.source, `${example} calls the module as "signer"`).toBe('../../');
    }
  });
});

describe('the examples say what terraform destroy keeps', () => {
  it.each(['examples/public', 'examples/vpc-only', 'examples/dedicated-account', 'examples/multi-region'])('%s/README.md names the consensus key guard, the watermark table and the trail bucket', (dir) => {
    const readme = readFileSync(join(repoRoot, dir, 'README.md'), 'utf8');
    const section = readme.split('## What `terraform destroy` keeps, and why')[1]?.split('\n## ')[0] ?? '';
    expect(section, 'a "What `terraform destroy` keeps, and why" section').not.toBe('');
    for (const text of ['consensus key guard', 'the watermark table', 'CloudTrail bucket', 'consensus_key_guard=false', 'docs/recovery.md']) expect(section).toContain(text);
  });
});

describe("each example's destroy plan is checked by tf:check", () => {
  it('every example root (but the account-vending stack) has a destroy scenario that stops on the key guard alone, then destroys once the guard is taken out', async () => {
    const { scenarios } = await import('../../scripts/tf-check.mjs');
    const byRoot = new Map(scenarios().map((s) => [s.root, s]));
    const { allModules } = await import('./lib/tf.js');
    const { rel } = await import('./lib/tf.js');
    const examples = [...(await allModules()).keys()].map((d) => rel(d)).filter((d) => /^examples\/[^/]+$/.test(d));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const example of examples) {
      const sc = byRoot.get(example);
      expect(sc, `a scenario with "root": "${example}"`).toBeDefined();
      const destroyPlans = sc!.steps.filter((s) => s.args[0] === 'plan' && s.args.includes('-destroy'));
      expect(destroyPlans.map((s) => s.expect)).toEqual(['fail', 'ok']);
      // One refusal per guarded key: the key, and its replica in a multi-Region example.
      expect(destroyPlans[0]!.errors).toBe(example === "examples/multi-region" ? 2 : 1);
      expect(destroyPlans[0]!.contains).toContain('consensus key guard: this plan would destroy or replace a consensus key; see docs/recovery.md');
    }
  });
});
