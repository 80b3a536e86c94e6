// Shared by scripts/tf-docs.mjs, scripts/tf-provider-schema.mjs and test/terraform: where the .tf files are
// and how to parse them with a real HCL parser (@cdktn/hcl2json, hcl2json compiled to wasm).
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import hcl2json from '@cdktn/hcl2json';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

function subdirs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory())
    .sort();
}

const hasTf = (dir) => readdirSync(dir).some((name) => name.endsWith('.tf'));

/**
 * Every Terraform module directory of the repository: root, modules/*, examples/* and the stacks
 * nested one level inside an example (examples/dedicated-account/account).
 */
export function moduleDirs(root = repoRoot) {
  const examples = subdirs(join(root, 'examples')).flatMap((dir) => [dir, ...subdirs(dir).filter(hasTf)]);
  return [root, ...subdirs(join(root, 'modules')), ...examples];
}

export function tfFiles(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .sort()
    .map((name) => join(dir, name));
}

export function rel(path, root = repoRoot) {
  return relative(root, path) || '.';
}

/** Parses one file; throws with the parser's diagnostics on a syntax error. */
export async function parseFile(path) {
  return hcl2json.parse(path, readFileSync(path, 'utf8'));
}

const MERGE_BY_NAME = ['variable', 'output', 'module', 'provider'];
const MERGE_BY_TYPE_NAME = ['resource', 'data'];

/**
 * Parses every .tf file of a module directory and merges them the way Terraform does (one
 * namespace per module). Each block is kept with the file it came from.
 */
export async function loadModule(dir) {
  const mod = {
    dir,
    files: {},
    variable: {},
    output: {},
    module: {},
    provider: {},
    resource: {},
    data: {},
    locals: {},
    localsFile: {},
    terraform: [],
  };
  for (const file of tfFiles(dir)) {
    const parsed = await parseFile(file);
    mod.files[file] = parsed;
    for (const kind of MERGE_BY_NAME) {
      for (const [name, bodies] of Object.entries(parsed[kind] ?? {})) {
        if (kind === 'provider') {
          mod.provider[name] = [...(mod.provider[name] ?? []), ...bodies.map((body) => ({ ...body, __file: file }))];
          continue;
        }
        if (mod[kind][name]) throw new Error(`${rel(file)}: duplicate ${kind} "${name}"`);
        mod[kind][name] = { ...bodies[0], __file: file };
      }
    }
    for (const kind of MERGE_BY_TYPE_NAME) {
      for (const [type, byName] of Object.entries(parsed[kind] ?? {})) {
        mod[kind][type] ??= {};
        for (const [name, bodies] of Object.entries(byName)) {
          if (mod[kind][type][name]) throw new Error(`${rel(file)}: duplicate ${kind} "${type}" "${name}"`);
          mod[kind][type][name] = { ...bodies[0], __file: file };
        }
      }
    }
    for (const block of parsed.locals ?? []) {
      for (const [name, value] of Object.entries(block)) {
        if (name in mod.locals) throw new Error(`${rel(file)}: duplicate local "${name}"`);
        mod.locals[name] = value;
        mod.localsFile[name] = file;
      }
    }
    for (const block of parsed.terraform ?? []) mod.terraform.push({ ...block, __file: file });
  }
  return mod;
}

/** Every file under `dir` whose name ends with `suffix`, outside dependencies and scratch folders. */
function filesEnding(dir, suffix, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', '.terraform', 'tmp'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) filesEnding(path, suffix, out);
    else if (entry.name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

/**
 * Resource and data source types the repository names anywhere: its modules and examples, the test
 * fixtures, and the mock_resource / mock_data blocks of its .tftest.hcl files. The offline provider
 * must serve each (test/terraform/provider.test.ts); scripts/tf-provider-schema.mjs writes their schemas.
 * Terraform's built-in types (terraform_data, from terraform.io/builtin/terraform) need no provider.
 */
export async function usedTypes(root = repoRoot) {
  const resources = new Set();
  const dataSources = new Set();
  const fixtures = subdirs(join(root, 'test/terraform/fixtures')).filter(hasTf);
  for (const dir of [...moduleDirs(root), ...fixtures]) {
    const mod = await loadModule(dir);
    Object.keys(mod.resource).forEach((t) => resources.add(t));
    Object.keys(mod.data).forEach((t) => dataSources.add(t));
  }
  for (const file of filesEnding(root, '.tftest.hcl')) {
    for (const mocks of Object.values((await parseFile(file)).mock_provider ?? {})) {
      for (const mock of mocks) {
        Object.keys(mock.mock_resource ?? {}).forEach((t) => resources.add(t));
        Object.keys(mock.mock_data ?? {}).forEach((t) => dataSources.add(t));
      }
    }
  }
  const builtin = (t) => t === 'terraform_data' || t === 'terraform_remote_state';
  return { resources: [...resources].filter((t) => !builtin(t)).sort(), dataSources: [...dataSources].filter((t) => !builtin(t)).sort() };
}
