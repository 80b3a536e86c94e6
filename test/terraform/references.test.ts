// 3. References: every var., local., module., resource and data reference resolves within its
// module; every variable has a description and a type; every output a description; module calls
// pass only the variables the submodule declares, and all its required ones.
import { describe, expect, it } from 'vitest';
import { allModules, dynamicIterators, forIterators, localSource, referencesIn, rel, stringsIn, type TfModule } from './lib/tf.js';

const ALWAYS = new Set(['each', 'count', 'path', 'self', 'terraform']);
const MODULE_META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on', '__file']);

async function unresolved(mod: TfModule, modules: Map<string, TfModule>): Promise<string[]> {
  const problems: string[] = [];
  const iterators = dynamicIterators(mod);
  for (const [file, parsed] of Object.entries(mod.files)) {
    for (const expr of stringsIn(parsed)) {
      const bound = forIterators(expr);
      for (const ref of await referencesIn(expr)) {
        const [root, a, b, ...rest] = ref.split('.');
        const where = `${rel(file)}: ${ref}`;
        if (!root || ALWAYS.has(root) || iterators.has(root) || bound.has(root)) continue;
        if (root === 'var') {
          if (!(a! in mod.variable)) problems.push(`${where}: no variable "${a}"`);
        } else if (root === 'local') {
          if (!(a! in mod.locals)) problems.push(`${where}: no local "${a}"`);
        } else if (root === 'module') {
          const call = mod.module[a!];
          if (!call) {
            problems.push(`${where}: no module "${a}"`);
            continue;
          }
          const target = localSource(mod, call);
          const output = [b, ...rest].find((p) => p !== undefined && !/^(\d+|"[^"]*"|\*)$/.test(p));
          // module.x["key"].out with for_each, module.x[0].out with count: the output is the first non-index part.
          if (target && output && !(output in modules.get(target)!.output)) problems.push(`${where}: module "${a}" has no output "${output}"`);
        } else if (root === 'data') {
          if (!mod.data[a!]?.[b!]) problems.push(`${where}: no data source ${a}.${b}`);
        } else if (/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(root)) {
          if (!mod.resource[root]?.[a!]) problems.push(`${where}: no resource ${root}.${a}`);
        } else {
          problems.push(`${where}: unknown reference root "${root}"`);
        }
      }
    }
  }
  return problems;
}

describe('references', async () => {
  const modules = await allModules();
  for (const mod of modules.values()) {
    it(`${rel(mod.dir)}: every reference resolves`, async () => {
      expect(await unresolved(mod, modules)).toEqual([]);
    });

    it(`${rel(mod.dir)}: every variable has a description and a type`, () => {
      const problems = Object.entries(mod.variable).flatMap(([name, v]) => [
        ...(typeof v.description === 'string' && v.description.length > 10 ? [] : [`variable ${name}: no description`]),
        ...(typeof v.type === 'string' && v.type.startsWith('${') ? [] : [`variable ${name}: no type`]),
      ]);
      expect(problems).toEqual([]);
    });

    it(`${rel(mod.dir)}: every output has a description`, () => {
      const problems = Object.entries(mod.output).flatMap(([name, o]) => (typeof o.description === 'string' && o.description.length > 5 ? [] : [`output ${name}: no description`]));
      expect(problems).toEqual([]);
    });

    it(`${rel(mod.dir)}: every variable is used`, async () => {
      const used = new Set<string>();
      for (const expr of stringsIn(mod.files)) for (const ref of await referencesIn(expr)) if (ref.startsWith('var.')) used.add(ref.split('.')[1]!);
      expect(Object.keys(mod.variable).filter((v) => !used.has(v))).toEqual([]);
    });

    for (const [name, call] of Object.entries(mod.module)) {
      it(`${rel(mod.dir)}: module "${name}" passes only declared variables and every required one`, () => {
        const target = localSource(mod, call);
        expect(target, `module ${name}: local source ${call.source} not found`).toBeDefined();
        const sub = modules.get(target!)!;
        const passed = Object.keys(call).filter((k) => !MODULE_META.has(k));
        const undeclared = passed.filter((k) => !(k in sub.variable));
        const required = Object.entries(sub.variable).filter(([, v]) => !('default' in v)).map(([k]) => k);
        const missing = required.filter((k) => !passed.includes(k));
        expect({ undeclared, missing }).toEqual({ undeclared: [], missing: [] });
      });
    }
  }

  it('the reference checker catches an unknown variable, local, resource and module output', async () => {
    const { parseFile } = await import('../../scripts/tf-files.mjs');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'tfref-'));
    const file = join(dir, 'main.tf');
    writeFileSync(file, 'variable "a" {\n  type = string\n}\n\noutput "o" {\n  value = "${var.b}-${local.c}-${aws_s3_bucket.d.arn}-${var.a}"\n}\n');
    const parsed = await parseFile(file);
    const fake = { dir, files: { [file]: parsed }, variable: { a: {} }, output: {}, module: {}, provider: {}, resource: {}, data: {}, locals: {}, localsFile: {}, terraform: [] } as TfModule;
    const problems = await unresolved(fake, modules);
    expect(problems.map((p) => p.split(': ').slice(-1)[0])).toEqual(['no variable "b"', 'no local "c"', 'no resource aws_s3_bucket.d']);
  });
});
