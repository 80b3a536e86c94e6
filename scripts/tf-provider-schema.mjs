#!/usr/bin/env node
// Writes test/terraform/provider/schemas/aws-<version>.json: the hashicorp/aws provider schema with full
// types (cty types, nesting modes, min/max items, required/optional/computed), for the resource and
// data source types this repository uses. The offline provider (test/terraform/provider/) serves it to
// Terraform, so that `terraform validate/plan/test` judge the module as the real provider's schema would.
//
// Source: the npm package @cdktn/provider-aws, generated from the provider's own
// `terraform providers schema -json`. It ships no JSON schema, so the schema is read back from its
// generated code, per class:
//   `// <name> - computed: C, optional: O, required: R`   the flags of every attribute and block;
//   `get <camel>() { return this.get<Kind>Attribute(...) }`  the type of an attribute (Fn.tolist: a set);
//   `_x = new <Struct>List(this, "x", <wrapsSet>)`          a nested list/set of objects;
//   `<struct>ToHclTerraform` / synthesizeHclAttributes()    isBlock, list/set/map/struct, element kind;
//   index.d.ts: a block held as one struct (not an array)   max_items = 1.
// The code does not say which attributes are sensitive: SENSITIVE below lists them for the types used,
// from the provider's documentation.
//
// Usage: npm run tf:provider-schema -- [--dir <installed @cdktn/provider-aws>] [--version <pkg version>]
//        [--flags-from <schema of a newer version>]   (for packages whose code lacks the flag comments)
// Without --dir, the package is installed in a temporary directory (large: ~400 MB), never in package.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usedTypes } from './tf-files.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(repoRoot, 'test/terraform/provider/schemas');

// Types the tests and fixtures may name that the module itself does not (yet) use.
const EXTRA_TYPES = {
  resource: [
    'aws_cloudtrail', 'aws_s3_bucket', 'aws_s3_bucket_policy', 'aws_s3_bucket_public_access_block',
    'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_lifecycle_configuration',
    'aws_s3_bucket_versioning', 'aws_s3_bucket_ownership_controls', 'aws_iam_policy', 'aws_iam_role_policy_attachment',
    'aws_lambda_alias', 'aws_lambda_function_event_invoke_config', 'aws_organizations_organization',
    'aws_lambda_provisioned_concurrency_config', 'aws_kms_key_policy', 'aws_apigatewayv2_route',
  ],
  data: [
    'aws_organizations_organization', 'aws_cloudtrail_service_account', 'aws_iam_role', 'aws_kms_key',
    'aws_vpc', 'aws_subnets', 'aws_iam_policy_document', 'aws_caller_identity', 'aws_region', 'aws_partition',
  ],
};

// Sensitive attributes, by type (the generated code does not carry the flag).
const SENSITIVE = {
  provider: ['access_key', 'secret_key', 'token'],
};

function arg(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** Every .tf / .tftest.hcl under the repository, outside node_modules and .terraform. */
/** The types to write: those the repository names (scripts/tf-files.mjs) and EXTRA_TYPES. */
async function typesToWrite() {
  const { resources, dataSources } = await usedTypes();
  return {
    resource: [...new Set([...EXTRA_TYPES.resource, ...resources])].sort(),
    data: [...new Set([...EXTRA_TYPES.data, ...dataSources])].sort(),
  };
}

// ---------------------------------------------------------------------------------------------------
// Reading the generated code

function snake(camel) {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function lowerFirst(s) {
  return s[0].toLowerCase() + s.slice(1);
}

/** One generated directory: its classes, its *ToHclTerraform functions and its interfaces. */
function loadModule(dir) {
  const js = readFileSync(join(dir, 'index.js'), 'utf8');
  const dts = readFileSync(join(dir, 'index.d.ts'), 'utf8');
  const classes = new Map();
  for (const m of js.matchAll(/^class (\w+) extends [\w.]+ \{\n([\s\S]*?)^\}$/gm)) classes.set(m[1], m[2]);
  const hcl = new Map();
  for (const m of js.matchAll(/^function (\w+)ToHclTerraform\(struct\) \{\n([\s\S]*?)^\}$/gm)) hcl.set(m[1], m[2]);
  const interfaces = new Map();
  for (const m of dts.matchAll(/^export interface (\w+)(?: extends [\w.]+)? \{\n([\s\S]*?)^\}$/gm)) {
    const fields = new Map();
    for (const f of m[2].matchAll(/^\s*readonly (\w+)(\??): ([^;]+);$/gm)) fields.set(f[1], { optional: f[2] === '?', type: f[3] });
    interfaces.set(m[1], fields);
  }
  return { js, classes, hcl, interfaces };
}

/** `name: { value: …, isBlock: b, type: "t", storageClassType: "s" }` entries of an attrs literal. */
function hclAttrs(body) {
  const out = new Map();
  for (const m of body.matchAll(/^\s*(\w+): \{\n\s*value: ([^\n]*)\n\s*isBlock: (true|false),\n\s*type: "(\w+)",\n\s*storageClassType: "(\w+)",/gm)) {
    const camel = m[2].match(/(?:struct\.|this\._)(\w+)/)?.[1];
    out.set(m[1], { isBlock: m[3] === 'true', kind: m[4], storage: m[5], camel });
  }
  return out;
}

/**
 * The flagged members of a class: name, flags, and what types it (getter expression or `_x = new …`
 * initialiser). Newer packages put the flag comment above the getter; older ones put it above the
 * initialiser in the constructor: both are read.
 */
function members(body) {
  const inits = new Map();
  for (const m of body.matchAll(/(?:this\.)?_\w+ = new ([\w.]+)\(this, "(\w+)"(?:, (true|false))?\);/g)) {
    inits.set(m[2], { cls: m[1], wrapsSet: m[3] === 'true' });
  }
  const getters = [];
  for (const m of body.matchAll(/^\s*get (\w+)\(\) \{\n\s*return ([^\n]*);/gm)) getters.push({ camel: m[1], expr: m[2] });
  const out = [];
  const seen = new Set();
  for (const m of body.matchAll(/\/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n/g)) {
    if (seen.has(m[1])) continue;
    seen.add(m[1]);
    const getter = getters.find((g) => g.expr.includes(`'${m[1]}'`)) ?? getters.find((g) => snake(g.camel) === m[1]);
    out.push({
      name: m[1],
      computed: m[2] === 'true',
      optional: m[3] === 'true',
      required: m[4] === 'true',
      init: inits.get(m[1]),
      camel: getter?.camel,
      expr: getter?.expr ?? '',
    });
  }
  // Older packages annotate only the initialised members: the others are read from their accessors
  // (a setter: settable; a reset method: optional). Whether a settable one is also computed is not
  // in that code: `computedUnknown` asks the caller to take it from a newer package's annotation.
  for (const g of getters) {
    const m = g.expr.match(/this\.get\w+Attribute\('(\w+)'\)/);
    if (!m || seen.has(m[1])) continue;
    seen.add(m[1]);
    const upper = g.camel[0].toUpperCase() + g.camel.slice(1);
    const settable = body.includes(`set ${g.camel}(value)`);
    const optional = settable && body.includes(`reset${upper}()`);
    out.push({
      name: m[1],
      computed: !settable,
      optional,
      required: settable && !optional,
      computedUnknown: settable,
      init: inits.get(m[1]),
      camel: g.camel,
      expr: g.expr,
    });
  }
  return out;
}

const PRIMITIVE_STORAGE = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  any: 'dynamic',
  stringList: ['list', 'string'],
  numberList: ['list', 'number'],
  booleanList: ['list', 'bool'],
  stringMap: ['map', 'string'],
  numberMap: ['map', 'number'],
  booleanMap: ['map', 'bool'],
  stringListList: ['list', ['list', 'string']],
  stringListMap: ['map', ['list', 'string']],
  stringMapList: ['list', ['map', 'string']],
  stringMapMap: ['map', ['map', 'string']],
};

/** A primitive-or-collection type from synthesizeHclAttributes' kind + storage class. */
function storageType(kind, storage) {
  const t = PRIMITIVE_STORAGE[storage];
  if (t === undefined) return undefined;
  // A set of strings is stored as stringList with kind "set".
  if (kind === 'set' && Array.isArray(t) && t[0] === 'list') return ['set', t[1]];
  return t;
}

/** The type an attribute's getter returns, for members that are not settable (computed only). */
function getterType(expr) {
  const wrappedSet = /^cdktn\.Fn\.tolist\(/.test(expr);
  const kinds = [
    [/getStringAttribute/, 'string'],
    [/getNumberAttribute/, 'number'],
    [/getBooleanAttribute/, 'bool'],
    [/getNumberListAttribute/, ['list', 'number']],
    [/getListAttribute/, ['list', 'string']],
    [/getStringMapAttribute/, ['map', 'string']],
    [/getNumberMapAttribute/, ['map', 'number']],
    [/getBooleanMapAttribute/, ['map', 'bool']],
    [/getAnyMapAttribute/, ['map', 'dynamic']],
    [/interpolationForAttribute/, 'dynamic'],
  ];
  for (const [re, t] of kinds) {
    if (re.test(expr)) return wrappedSet && Array.isArray(t) ? ['set', t[1]] : t;
  }
  return undefined;
}

class Reader {
  constructor(mod, where) {
    this.mod = mod;
    this.where = where;
    // Settable attributes whose computed flag no annotation gave (neither this package nor the reference).
    this.inferred = [];
  }

  fail(msg) {
    throw new Error(`${this.where}: ${msg}`);
  }

  /** The object type of a struct's OutputReference class (all its members, as attribute types). */
  objectType(struct, seen = new Set()) {
    if (seen.has(struct)) this.fail(`recursive struct ${struct}`);
    const block = this.block(`${struct}OutputReference`, lowerFirst(struct), struct, new Set([...seen, struct]));
    const attrs = {};
    for (const [name, a] of Object.entries(block.attributes)) attrs[name] = a.type;
    for (const [name, b] of Object.entries(block.block_types)) {
      const obj = ['object', Object.fromEntries(Object.entries(b.block.attributes).map(([n, a]) => [n, a.type]))];
      attrs[name] = b.nesting_mode === 'single' ? obj : [b.nesting_mode, obj];
    }
    return ['object', Object.fromEntries(Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : 1)))];
  }

  /** A block known only from its *ToHclTerraform function and interface (no computed members). */
  structBlock(hclName, interfaceName, seen) {
    const iface = this.mod.interfaces.get(interfaceName) ?? new Map();
    const attributes = {};
    const blockTypes = {};
    for (const [name, s] of hclAttrs(this.mod.hcl.get(hclName))) {
      const field = iface.get(s.camel);
      if (field === undefined) this.fail(`${interfaceName}.${name}: not in the interface`);
      const flags = field.optional ? { optional: true } : { required: true };
      if (s.isBlock) {
        const struct = s.kind === 'struct' ? s.storage : s.storage.replace(/(List|Map)$/, '');
        const nesting = { list: 'list', set: 'set', struct: 'single', map: 'map' }[s.kind];
        const bt = { nesting_mode: nesting, block: this.block(`${struct}OutputReference`, lowerFirst(struct), struct, seen) };
        if ((nesting === 'list' || nesting === 'set') && !/\[\]/.test(field.type)) bt.max_items = 1;
        if (flags.required && (nesting === 'list' || nesting === 'set')) bt.min_items = 1;
        blockTypes[name] = bt;
        continue;
      }
      const type = storageType(s.kind, s.storage);
      if (type === undefined) this.fail(`${interfaceName}.${name}: storage ${s.storage}`);
      attributes[name] = { type, ...flags };
    }
    return { attributes, block_types: blockTypes };
  }

  /**
   * Reads one block: the class holding its getters, the *ToHclTerraform function (or synthesizeHclAttributes)
   * holding its settable members, and the interface telling which nested blocks are single structs.
   */
  block(className, hclName, interfaceName, seen = new Set(), ref = undefined) {
    const body = this.mod.classes.get(className);
    if (body === undefined) {
      // Provider structs have no OutputReference class: read them from their HCL function and interface.
      if (hclName !== null && this.mod.hcl.has(hclName)) return this.structBlock(hclName, interfaceName, seen);
      this.fail(`class ${className} not found`);
    }
    const hclBody = hclName === null ? body.slice(body.indexOf('synthesizeHclAttributes()')) : this.mod.hcl.get(hclName);
    if (hclBody === undefined) this.fail(`${hclName}ToHclTerraform not found`);
    const settable = hclAttrs(hclBody);
    const iface = this.mod.interfaces.get(interfaceName) ?? new Map();
    const attributes = {};
    const blockTypes = {};
    for (const m of members(body)) {
      if (m.name === 'alias' && hclName === null && className === 'AwsProvider') continue; // a meta-argument
      const flags = {};
      if (m.required) flags.required = true;
      if (m.optional) flags.optional = true;
      if (m.computed || (m.computedUnknown && ref?.attributes?.[m.name]?.computed)) flags.computed = true;
      if (m.computedUnknown && ref !== undefined && ref.attributes?.[m.name] === undefined) this.inferred.push(m.name);
      const s = settable.get(m.name);
      const init = m.init;
      if (s?.isBlock) {
        const struct = s.kind === 'struct' ? s.storage : s.storage.replace(/(List|Map)$/, '');
        const nesting = { list: 'list', set: 'set', struct: 'single', map: 'map' }[s.kind];
        if (nesting === undefined) this.fail(`block ${m.name}: kind ${s.kind}`);
        const nested = this.block(`${struct}OutputReference`, lowerFirst(struct), struct, seen, ref?.block_types?.[m.name]?.block);
        const bt = { nesting_mode: nesting, block: nested };
        const field = iface.get(s.camel ?? m.camel);
        if (nesting === 'list' || nesting === 'set') {
          if (field !== undefined && !/\[\]/.test(field.type)) bt.max_items = 1;
          if (m.required) bt.min_items = 1;
        }
        blockTypes[m.name] = bt;
        continue;
      }
      let type;
      if (s !== undefined) type = storageType(s.kind, s.storage);
      if (type === undefined && s !== undefined) {
        // A settable nested attribute (plugin framework): list/set/map of objects or one object.
        const struct = s.kind === 'struct' ? s.storage : s.storage.replace(/(List|Map)$/, '');
        const obj = this.objectType(struct, seen);
        type = s.kind === 'struct' ? obj : [s.kind, obj];
      }
      if (type === undefined) type = getterType(m.expr);
      if (type === undefined && init) {
        const cls = init.cls;
        const builtin = {
          'cdktn.StringMap': ['map', 'string'], 'cdktn.NumberMap': ['map', 'number'], 'cdktn.BooleanMap': ['map', 'bool'],
          'cdktn.AnyMap': ['map', 'dynamic'], 'cdktn.StringListMap': ['map', ['list', 'string']],
          'cdktn.NumberListMap': ['map', ['list', 'number']], 'cdktn.BooleanListMap': ['map', ['list', 'bool']],
          'cdktn.StringMapList': ['list', ['map', 'string']], 'cdktn.NumberMapList': ['list', ['map', 'number']],
          'cdktn.BooleanMapList': ['list', ['map', 'bool']], 'cdktn.AnyMapList': ['list', ['map', 'dynamic']],
        }[cls];
        if (builtin) type = builtin;
        else if (cls.startsWith('cdktn.')) this.fail(`attribute ${m.name}: ${cls}`);
        if (type !== undefined) { /* built in */ } else if (cls.endsWith('List')) type = [init.wrapsSet ? 'set' : 'list', this.objectType(cls.slice(0, -4), seen)];
        else if (cls.endsWith('Map')) type = ['map', this.objectType(cls.slice(0, -3), seen)];
        else if (cls.endsWith('OutputReference')) type = this.objectType(cls.slice(0, -'OutputReference'.length), seen);
      }
      if (type === undefined) this.fail(`attribute ${m.name}: cannot type "${m.expr}"`);
      attributes[m.name] = { type, ...flags };
    }
    // Settable members no getter names (a provider's own arguments, in older packages): from the HCL
    // function and the interface.
    for (const [name, s] of settable) {
      if (attributes[name] || blockTypes[name] || (name === 'alias' && className === 'AwsProvider')) continue;
      const field = iface.get(s.camel);
      if (field === undefined) this.fail(`${name}: neither a getter nor an interface field`);
      if (s.isBlock) {
        const struct = s.kind === 'struct' ? s.storage : s.storage.replace(/(List|Map)$/, '');
        const nesting = { list: 'list', set: 'set', struct: 'single', map: 'map' }[s.kind];
        const bt = { nesting_mode: nesting, block: this.block(`${struct}OutputReference`, lowerFirst(struct), struct, seen, ref?.block_types?.[name]?.block) };
        if ((nesting === 'list' || nesting === 'set') && !/\[\]/.test(field.type)) bt.max_items = 1;
        if (!field.optional && (nesting === 'list' || nesting === 'set')) bt.min_items = 1;
        blockTypes[name] = bt;
        continue;
      }
      const type = storageType(s.kind, s.storage);
      if (type === undefined) this.fail(`${name}: storage ${s.storage}`);
      attributes[name] = { type, ...(field.optional ? { optional: true } : { required: true }) };
      if (ref !== undefined && ref.attributes?.[name]?.computed) attributes[name].computed = true;
    }
    return { attributes, block_types: blockTypes };
  }
}

function indexTypes(libDir) {
  const byType = {};
  const kinds = { TerraformResource: 'resource', TerraformDataSource: 'data', TerraformProvider: 'provider' };
  for (const name of readdirSync(libDir)) {
    const file = join(libDir, name, 'index.js');
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^class (\w+) extends cdktn\.(TerraformResource|TerraformDataSource|TerraformProvider) \{$/gm)) {
      // `static tfResourceType = "x"` in the class (newer) or `Class.tfResourceType = "x"` after it (older).
      const t = text.match(new RegExp(`(?:static |^${m[1]}\\.)tfResourceType = "(\\w+)";`, 'm'));
      if (t) byType[`${kinds[m[2]]}.${t[1]}`] = { dir: join(libDir, name), className: m[1] };
    }
  }
  return byType;
}

function readType(index, key, ref) {
  const entry = index[key];
  if (entry === undefined) throw new Error(`${key} is not in @cdktn/provider-aws`);
  const mod = loadModule(entry.dir);
  const reader = new Reader(mod, key);
  const block = reader.block(entry.className, null, `${entry.className}Config`, new Set(), ref);
  if (reader.inferred.length) console.error(`${key}: computed flag unknown (taken as not computed): ${reader.inferred.join(', ')}`);
  const sensitive = SENSITIVE[key.split('.')[0] === 'provider' ? 'provider' : key.slice(key.indexOf('.') + 1)] ?? [];
  for (const name of sensitive) if (block.attributes[name]) block.attributes[name].sensitive = true;
  return block;
}

function installPackage(version) {
  const prefix = mkdtempSync(join(tmpdir(), 'provider-aws-'));
  console.error(`installing @cdktn/provider-aws@${version} in ${prefix} (large, takes a while)...`);
  execFileSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--prefix', prefix, `@cdktn/provider-aws@${version}`],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return { dir: join(prefix, 'node_modules/@cdktn/provider-aws'), cleanup: () => rmSync(prefix, { recursive: true, force: true }) };
}

async function main() {
  const given = arg('--dir');
  const pkg = given ? { dir: given, cleanup: () => {} } : installPackage(arg('--version') ?? '25.7.0');
  try {
    const meta = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
    const providerVersion = meta.cdktf?.provider?.version;
    if (!providerVersion) throw new Error('package.json has no cdktf.provider.version');
    const index = indexTypes(join(pkg.dir, 'lib'));
    // --flags-from: a schema generated from a newer package, whose annotations give the computed flag
    // of settable attributes where this package's code does not say it.
    const refPath = arg('--flags-from');
    const ref = refPath ? JSON.parse(readFileSync(refPath, 'utf8')) : undefined;
    const types = await typesToWrite();
    const schema = {
      comment: 'Generated by `npm run tf:provider-schema` from @cdktn/provider-aws; trimmed to the types this repository uses.',
      source: `@cdktn/provider-aws@${meta.version}`,
      provider_version: providerVersion,
      provider: { version: 0, block: readType(index, 'provider.aws', ref?.provider.block) },
      resource_schemas: {},
      data_source_schemas: {},
    };
    const missing = [];
    for (const t of types.resource) {
      if (index[`resource.${t}`]) schema.resource_schemas[t] = { version: 0, block: readType(index, `resource.${t}`, ref?.resource_schemas[t]?.block) };
      else missing.push(`resource ${t}`);
    }
    for (const t of types.data) {
      if (index[`data.${t}`]) schema.data_source_schemas[t] = { version: 0, block: readType(index, `data.${t}`, ref?.data_source_schemas[t]?.block) };
      else missing.push(`data ${t}`);
    }
    mkdirSync(OUT_DIR, { recursive: true });
    const out = join(OUT_DIR, `aws-${providerVersion}.json`);
    writeFileSync(out, `${JSON.stringify(schema, null, 1)}\n`);
    console.log(`${relative(repoRoot, out)}: ${Object.keys(schema.resource_schemas).length} resources, ${Object.keys(schema.data_source_schemas).length} data sources`);
    if (missing.length) console.log(`not in this provider version: ${missing.join(', ')}`);
  } finally {
    pkg.cleanup();
  }
}

await main();
