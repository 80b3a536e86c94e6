// 1. Every .tf file of the root module, modules/ and examples/ parses with a real HCL parser.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile, rel, repoRoot, tfFiles, moduleDirs } from '../../scripts/tf-files.mjs';
import { moduleAt } from './lib/tf.js';

const files = moduleDirs().flatMap((dir) => tfFiles(dir));

describe('HCL parsing', () => {
  it('finds the module files', () => {
    const names = files.map((f) => rel(f));
    for (const expected of [
      'main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'kms.tf', 'dynamodb.tf', 'iam.tf', 'lambda.tf', 'exposure.tf', 'monitoring.tf',
      'modules/kms-key/main.tf', 'modules/watermark-table/main.tf', 'modules/exposure/main.tf', 'modules/monitoring/alarms.tf',
      'examples/public/main.tf', 'examples/vpc-only/main.tf', 'examples/dedicated-account/main.tf',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(files.map((f) => [rel(f), f]))('%s parses', async (_name, file) => {
    const parsed = await parseFile(file);
    expect(parsed).toBeTypeOf('object');
  });

  it('rejects invalid HCL (the parser is real)', async () => {
    const hcl2json = (await import('@cdktn/hcl2json')).default;
    await expect(hcl2json.parse('bad.tf', 'resource "a" "b" {\n  x = \n}\n')).rejects.toThrow();
  });

  it('every module and example has versions.tf, variables.tf, outputs.tf and no provider block outside examples', async () => {
    for (const dir of moduleDirs()) {
      for (const f of ['versions.tf', 'variables.tf', 'outputs.tf']) expect(existsSync(join(dir, f)), `${rel(dir)}/${f}`).toBe(true);
      const mod = await moduleAt(rel(dir));
      const isExample = rel(dir).startsWith('examples/');
      if (isExample) {
        expect(Object.keys(mod.provider), rel(dir)).toContain('aws');
        expect(existsSync(join(dir, 'README.md')), `${rel(dir)}/README.md`).toBe(true);
      } else {
        expect(Object.keys(mod.provider), `${rel(dir)} must not configure providers`).toEqual([]);
      }
    }
  });

  it('versions.tf: Terraform >= 1.5.7 and only lower bounds on providers', async () => {
    for (const dir of moduleDirs()) {
      const mod = await moduleAt(rel(dir));
      const tf = mod.terraform.find((t) => t.required_version);
      expect(tf?.required_version, rel(dir)).toBe('>= 1.5.7');
      const providers = Object.assign({}, ...mod.terraform.flatMap((t) => t.required_providers ?? []));
      expect(providers.aws?.source, rel(dir)).toBe('hashicorp/aws');
      // 6.40.0 is the oldest AWS provider schema the offline check can obtain (@cdktn/provider-aws
      // 23.7.0): the lower bound is what is proven, not what is hoped (docs/terraform.md).
      expect(providers.aws?.version, rel(dir)).toBe('>= 6.40');
      expect(Object.keys(providers), rel(dir)).toEqual(['aws']);
      for (const [name, p] of Object.entries<any>(providers)) expect(p.version, `${rel(dir)} ${name}`).toMatch(/^>= [0-9.]+$/);
    }
  });
});

describe('Lambda bundle', () => {
  it('the module uploads the committed zip of lambda/dist/handler.mjs (test/terraform/lambda-zip.test.ts checks its content)', async () => {
    const root = await moduleAt('.');
    expect(root.locals.lambda_zip).toBe('${path.module}/lambda/dist/handler.zip');
    expect(root.data.archive_file).toBeUndefined();
  });

  // The bundle is committed once the handler exists (lambda/src/index.ts); before that there is
  // nothing to bundle and this check is skipped, saying so.
  const handlerWritten = existsSync(join(repoRoot, 'lambda/src/index.ts'));
  it.skipIf(!handlerWritten)('lambda/dist/handler.mjs is committed (skipped: lambda/src/index.ts does not exist yet)', () => {
    expect(existsSync(join(repoRoot, 'lambda/dist/handler.mjs'))).toBe(true);
  });

  it('lambda/src has TypeScript sources or is still empty', () => {
    const dir = join(repoRoot, 'lambda/src');
    const entries = existsSync(dir) ? readdirSync(dir) : [];
    expect(entries.every((e) => !e.endsWith('.js'))).toBe(true);
  });
});
