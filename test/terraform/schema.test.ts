// 2. Offline validation against the AWS provider schema (test/terraform/aws-provider-schema.json,
// written by `npm run tf:schema` from @cdktn/provider-aws): every resource and data source type
// exists, every argument and block name exists, every required argument is set, and every
// attribute read from a resource or data source (aws_x.y.attr) exists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usedTypes } from '../../scripts/tf-files.mjs';
import { allModules, blocksOf, dynamicIterators, forIterators, META_ARGUMENTS, referencesIn, rel, repoRoot, stringsIn } from './lib/tf.js';

interface BlockSchema {
  attributes: Record<string, { required: boolean }>;
  blocks: Record<string, BlockSchema & { required: boolean; nesting: string }>;
  readable?: string[];
  hand_written?: boolean;
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'test/terraform/aws-provider-schema.json'), 'utf8')) as {
  generated_from: { provider_version: string; package_version: string };
  resource_schemas: Record<string, BlockSchema>;
  data_source_schemas: Record<string, BlockSchema>;
};

/** Problems of one block body against its schema: unknown names, missing required arguments. */
function check(body: Record<string, any>, s: BlockSchema, where: string, problems: string[], top = false): void {
  const present = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (key === '__file') continue;
    if (key === 'dynamic') {
      for (const [label, dyns] of Object.entries<any[]>(value)) {
        const child = s.blocks[label];
        if (!child) {
          problems.push(`${where}: dynamic "${label}": no such block`);
          continue;
        }
        present.add(label);
        for (const dyn of dyns) for (const content of dyn.content ?? []) check(content, child, `${where}.${label}`, problems);
      }
      continue;
    }
    if (top && META_ARGUMENTS.has(key)) continue;
    present.add(key);
    if (s.attributes[key]) continue;
    const child = s.blocks[key];
    if (!child) {
      problems.push(`${where}: unknown argument or block "${key}"`);
      continue;
    }
    if (!Array.isArray(value)) {
      problems.push(`${where}: "${key}" is a block, written as an attribute`);
      continue;
    }
    for (const item of value) check(item, child, `${where}.${key}`, problems);
  }
  for (const [name, a] of Object.entries(s.attributes)) if (a.required && !present.has(name)) problems.push(`${where}: required argument "${name}" is missing`);
  for (const [name, b] of Object.entries(s.blocks)) if (b.required && !present.has(name)) problems.push(`${where}: required block "${name}" is missing`);
}

describe('provider schema file', () => {
  it('records where it comes from', () => {
    expect(schema.generated_from.provider_version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(schema.generated_from.package_version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('covers exactly the types the repository uses (else run npm run tf:schema)', async () => {
    const { resources, dataSources } = await usedTypes();
    expect(Object.keys(schema.resource_schemas).sort()).toEqual(resources);
    expect(Object.keys(schema.data_source_schemas).sort()).toEqual(dataSources);
  });

  it('the checker reports unknown names, blocks written as attributes and missing required arguments', () => {
    const problems: string[] = [];
    check({ function_name: 'x', runtime: 'nodejs22.x', no_such_argument: 1, logging_config: { log_format: 'JSON' } }, schema.resource_schemas.aws_lambda_function!, 'fn', problems, true);
    check({ logging_config: [{ log_group: 'g' }], role: 'r', function_name: 'f' }, schema.resource_schemas.aws_lambda_function!, 'fn2', problems, true);
    expect(problems).toEqual([
      'fn: unknown argument or block "no_such_argument"',
      'fn: "logging_config" is a block, written as an attribute',
      'fn: required argument "role" is missing',
      'fn2.logging_config: required argument "log_format" is missing',
    ]);
  });

  it('holds only AWS provider types: the archive provider is gone (the Lambda zip is committed)', () => {
    expect(Object.values(schema.data_source_schemas).some((s) => s.hand_written)).toBe(false);
    expect(schema.data_source_schemas.archive_file).toBeUndefined();
  });

  it('the provider version it was made from satisfies the lower bound of versions.tf', () => {
    const [major, minor] = schema.generated_from.provider_version.split('.').map(Number) as [number, number];
    expect(major > 6 || (major === 6 && minor >= 40)).toBe(true);
  });
});

describe('resources and data sources against the provider schema', async () => {
  const modules = [...(await allModules()).values()];
  for (const mod of modules) {
    it(`${rel(mod.dir)}: every block matches the schema`, () => {
      const problems: string[] = [];
      for (const b of blocksOf(mod)) {
        const s = (b.kind === 'resource' ? schema.resource_schemas : schema.data_source_schemas)[b.type];
        const where = `${rel(b.file)} ${b.kind === 'data' ? 'data.' : ''}${b.type}.${b.name}`;
        if (!s) {
          problems.push(`${where}: type not in the provider schema`);
          continue;
        }
        check(b.body, s, where, problems, true);
      }
      expect(problems).toEqual([]);
    });

    it(`${rel(mod.dir)}: every attribute read from a resource or data source exists`, async () => {
      const problems: string[] = [];
      const skip = new Set(['var', 'local', 'module', 'each', 'count', 'path', 'self', 'terraform', ...dynamicIterators(mod)]);
      for (const expr of stringsIn(mod.files)) {
        const bound = forIterators(expr);
        for (const ref of await referencesIn(expr)) {
          const parts = ref.split('.');
          const isData = parts[0] === 'data';
          const [type, name, ...rest] = isData ? parts.slice(1) : parts;
          if (!type || skip.has(type) || bound.has(type) || !name) continue;
          const s = (isData ? schema.data_source_schemas : schema.resource_schemas)[type];
          if (!s) continue; // unknown types are reported by the reference tests
          const attr = rest.find((p) => !/^(\d+|"[^"]*"|\*)$/.test(p));
          if (attr && !s.readable?.includes(attr) && !s.attributes[attr] && !s.blocks[attr]) problems.push(`${ref}: ${type} has no attribute "${attr}"`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
