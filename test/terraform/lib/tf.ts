// Helpers of the offline Terraform tests: load every module once, walk blocks, find references.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import hcl2json from '@cdktn/hcl2json';
import { loadModule, moduleDirs, rel, repoRoot, type TfModule } from '../../../scripts/tf-files.mjs';

export { rel, repoRoot, moduleDirs, type TfModule };

let cache: Promise<Map<string, TfModule>> | undefined;

/** Every module of the repository (root, modules/*, examples/*), parsed once. */
export function allModules(): Promise<Map<string, TfModule>> {
  cache ??= (async () => {
    const out = new Map<string, TfModule>();
    for (const dir of moduleDirs()) out.set(dir, await loadModule(dir));
    return out;
  })();
  return cache;
}

export async function moduleAt(relativeDir: string): Promise<TfModule> {
  const mod = (await allModules()).get(resolve(repoRoot, relativeDir));
  if (!mod) throw new Error(`no module at ${relativeDir}`);
  return mod;
}

export const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection', 'dynamic', '__file']);

export interface BlockRef {
  kind: 'resource' | 'data';
  type: string;
  name: string;
  body: Record<string, any>;
  file: string;
}

export function blocksOf(mod: TfModule): BlockRef[] {
  const out: BlockRef[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries(mod[kind])) {
      for (const [name, body] of Object.entries(byName)) out.push({ kind, type, name, body, file: body.__file });
    }
  }
  return out;
}

/**
 * Every expression string in a parsed value (hcl2json keeps expressions as "${...}" strings),
 * leaving out what is not an expression over objects: variable type constraints and
 * lifecycle.ignore_changes (attribute names).
 */
export function stringsIn(value: unknown, out: string[] = [], parentKey = ''): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out, parentKey));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '__file' || k === 'ignore_changes' || k === 'providers' || (k === 'provider' && typeof v === 'string')) continue;
      if (k === 'variable' && v && typeof v === 'object' && !Array.isArray(v)) {
        for (const bodies of Object.values(v as Record<string, any>)) {
          for (const body of [bodies].flat()) {
            const { type: _type, ...rest } = body;
            stringsIn(rest, out, k);
          }
        }
        continue;
      }
      stringsIn(v, out, k);
    }
  }
  return out;
}

const refCache = new Map<string, string[]>();

/** References (var.x, local.y, aws_t.n.attr, ...) in one expression string. */
export async function referencesIn(expr: string): Promise<string[]> {
  if (!expr.includes('${') && !expr.includes('%{')) return [];
  const hit = refCache.get(expr);
  if (hit) return hit;
  const refs = (await hcl2json.getReferencesInExpression('ref.tf', expr)).map((r: { value: string }) => r.value);
  refCache.set(expr, refs);
  return refs;
}

/** Names bound by for expressions inside the expression text (for k, v in ...). */
export function forIterators(expr: string): Set<string> {
  const names = new Set<string>();
  for (const m of expr.matchAll(/\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g)) {
    names.add(m[1]!);
    if (m[2]) names.add(m[2]);
  }
  return names;
}

/** Names of dynamic blocks (and their iterators) anywhere in a module. */
export function dynamicIterators(mod: TfModule): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k === 'dynamic' && v && typeof v === 'object') {
          for (const [label, bodies] of Object.entries(v as Record<string, any[]>)) {
            names.add(label);
            for (const body of bodies) if (typeof body.iterator === 'string') names.add(body.iterator);
          }
        }
        walk(v);
      }
    }
  };
  walk(mod.files);
  return names;
}

/** Local module source of a module call, resolved, or undefined for a registry/remote source. */
export function localSource(mod: TfModule, call: Record<string, any>): string | undefined {
  const source = call.source as string;
  if (!source.startsWith('./') && !source.startsWith('../')) return undefined;
  const dir = resolve(mod.dir, source);
  return existsSync(join(dir, 'variables.tf')) || existsSync(join(dir, 'main.tf')) ? dir : undefined;
}

/** Strips one level of "${...}" around a whole-expression string. */
export function unwrap(expr: unknown): string | undefined {
  if (typeof expr !== 'string') return undefined;
  const m = expr.match(/^\$\{([\s\S]*)\}$/);
  return m ? m[1]!.trim() : undefined;
}

/** A list attribute as literal strings (or the raw expression strings). */
export function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return [value];
  return [];
}
