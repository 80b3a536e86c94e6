// The docs must be followable: every module block they show uses the Terraform Registry form (source and
// version) and only variables the module declares; every output they read exists; the Terraform names
// the walk-through mentions in prose exist. The names are read from the .tf files at test time.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
export const REGISTRY_SOURCE = 'tezos-signer/tezos-signer/aws';
const META_ARGUMENTS = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);
/** Backticked snake_case words of the walk-through that are not Terraform names, and why. */
const NOT_TERRAFORM = new Map([
  ['known_keys', 'the HTTP API field'],
  ['baking_consensus_key', 'the label of the octez documentation section cited'],
]);

async function names(kind: 'variable' | 'output', dir = ROOT, recursive = false): Promise<Set<string>> {
  const found = new Set<string>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && recursive && !entry.name.startsWith('.')) for (const n of await names(kind, join(dir, entry.name), true)) found.add(n);
    if (!entry.isFile() || !entry.name.endsWith('.tf')) continue;
    for (const match of (await readFile(join(dir, entry.name), 'utf8')).matchAll(new RegExp(`^${kind}\\s+"([^"]+)"`, 'gm'))) found.add(match[1]!);
  }
  return found;
}

/** The outputs a doc can read: the module's, and for an example's README its own stacks'. */
async function readableOutputs(file: string, moduleOutputs: Set<string>): Promise<Set<string>> {
  const example = /^examples\/([^/]+)\//.exec(file)?.[1];
  if (example === undefined) return moduleOutputs;
  return new Set([...moduleOutputs, ...(await names('output', join(ROOT, 'examples', example), true))]);
}

async function docs(): Promise<{ file: string; text: string }[]> {
  const files = ['README.md', ...(await readdir(join(ROOT, 'docs'))).map((f) => `docs/${f}`)];
  for (const example of await readdir(join(ROOT, 'examples'))) files.push(`examples/${example}/README.md`);
  const read = await Promise.all(files.filter((f) => f.endsWith('.md')).map(async (file) => ({ file, text: await readFile(join(ROOT, file), 'utf8').catch(() => '') })));
  return read.filter((d) => d.text !== '');
}

interface ModuleBlock {
  file: string;
  name: string;
  source: string | undefined;
  arguments: string[];
}

/** The `module "…" { … }` blocks of the hcl/terraform code blocks of a Markdown text, top-level arguments only. */
export function moduleBlocks(file: string, text: string): ModuleBlock[] {
  const blocks: ModuleBlock[] = [];
  for (const fence of text.matchAll(/```(?:hcl|terraform|tf)\n([\s\S]*?)```/g)) {
    let current: ModuleBlock | undefined;
    let depth = 0;
    for (const line of fence[1]!.split('\n')) {
      const code = line.replace(/#.*$|\/\/.*$/, '');
      const start = /^\s*module\s+"([^"]+)"\s*\{/.exec(code);
      if (current === undefined && start) {
        current = { file, name: start[1]!, source: undefined, arguments: [] };
        depth = 1;
        continue;
      }
      if (current === undefined) continue;
      if (depth === 1) {
        const argument = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.*)$/.exec(code);
        if (argument) {
          current.arguments.push(argument[1]!);
          if (argument[1] === 'source') current.source = /"([^"]*)"/.exec(argument[2]!)?.[1];
        }
      }
      depth += (code.match(/[{[(]/g) ?? []).length - (code.match(/[}\])]/g) ?? []).length;
      if (depth <= 0) {
        blocks.push(current);
        current = undefined;
      }
    }
  }
  return blocks;
}

describe('the docs use the names the module declares', () => {
  let variables: Set<string>;
  let outputs: Set<string>;
  let all: { file: string; text: string }[];
  let signerBlocks: ModuleBlock[];

  beforeAll(async () => {
    [variables, outputs, all] = await Promise.all([names('variable'), names('output'), docs()]);
    // This module, however its source is written (the Registry, a relative path to the repository root).
    signerBlocks = all.flatMap((d) => moduleBlocks(d.file, d.text)).filter((b) => b.source === undefined || /tezos-signer\/aws|^\.\.?(\/\.\.)*\/?$/.test(b.source));
  });

  test('the .tf files were read', () => {
    expect(variables.has('authorized_keys')).toBe(true);
    expect(outputs.has('signer_url')).toBe(true);
  });

  test('the README and the walk-through show a module block', () => {
    expect(signerBlocks.map((b) => b.file)).toEqual(expect.arrayContaining(['README.md', 'docs/walkthrough.md']));
  });

  test('every module block uses the Registry form: source and version', () => {
    for (const block of signerBlocks) {
      expect({ file: block.file, source: block.source }).toEqual({ file: block.file, source: REGISTRY_SOURCE });
      expect(block.arguments, `${block.file}: module "${block.name}" has no version`).toContain('version');
    }
  });

  test('every argument of a module block is a variable of the module', () => {
    const unknown = signerBlocks.flatMap((b) => b.arguments.filter((a) => !META_ARGUMENTS.has(a) && !variables.has(a)).map((a) => `${b.file}: ${a}`));
    expect(unknown).toEqual([]);
  });

  test('every output read (module.<name>.X, terraform output X) exists', async () => {
    // module.signer.module.… is a resource address in the state (docs/recovery.md), not an output read.
    const read = all.flatMap((d) => [...d.text.matchAll(/module\.signer\.(?!module\.)([a-z0-9_]+)|terraform output (?:-raw |-json )?([a-z0-9_]+)/g)].map((m) => ({ file: d.file, name: (m[1] ?? m[2])! })));
    expect(read.length).toBeGreaterThan(0);
    const missing = [];
    for (const r of read) if (!(await readableOutputs(r.file, outputs)).has(r.name)) missing.push(r);
    expect(missing).toEqual([]);
  });

  test('the Terraform names the walk-through mentions in prose exist', async () => {
    const text = await readFile(join(ROOT, 'docs/walkthrough.md'), 'utf8');
    const prose = text.replace(/```[\s\S]*?```/g, '');
    const mentioned = [...prose.matchAll(/`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?:\s*=[^`]*)?`/g)].map((m) => m[1]!);
    expect(mentioned.length).toBeGreaterThan(0);
    expect(mentioned.filter((n) => !variables.has(n) && !outputs.has(n) && !NOT_TERRAFORM.has(n))).toEqual([]);
  });

  test('no doc tells anyone to run a bare `npx tezos-signer` (an npm name this project does not own)', () => {
    const bare = all.flatMap((d) => d.text.split('\n').filter((line) => /npx tezos-signer\b/.test(line) && !/Never a bare `npx tezos-signer`/.test(line)).map((line) => `${d.file}: ${line.trim()}`));
    expect(bare).toEqual([]);
  });
});
