#!/usr/bin/env node
// Writes test/terraform/aws-provider-schema.json: the AWS provider schema, trimmed to the resource
// and data source types this repository uses, for the offline validation tests (no terraform binary
// here). Source: the npm package @cdktn/provider-aws, generated from the provider's own schema
// (`terraform providers schema -json`). It ships no JSON schema, so the schema is read back from
// its generated code:
//   index.js  synthesizeHclAttributes() / <struct>ToHclTerraform(): every argument with its
//             Terraform name and whether it is a nested block;
//   index.d.ts  the Config / struct interfaces: `name?:` optional, `name:` required;
//   index.js  get*Attribute('name') in the resource class: every readable attribute.
// The package is huge (>400 MB): it is installed in a temporary directory (or reused from
// $PROVIDER_AWS_DIR), never added to package.json.
//
// Usage: npm run tf:schema [-- --version <@cdktn/provider-aws version>]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, usedTypes } from './tf-files.mjs';

// 23.7.0 is generated from hashicorp/aws 6.40.0, the lower bound of every versions.tf: the offline
// tests validate against the oldest provider the module claims to support (docs/terraform.md).
const DEFAULT_VERSION = '23.7.0';
const OUTPUT = join(repoRoot, 'test/terraform/aws-provider-schema.json');

function arg(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function installPackage(version) {
  if (process.env.PROVIDER_AWS_DIR) return { dir: process.env.PROVIDER_AWS_DIR, cleanup: () => {} };
  const prefix = mkdtempSync(join(tmpdir(), 'provider-aws-'));
  console.error(`installing @cdktn/provider-aws@${version} in ${prefix} (large, takes a while)...`);
  // --legacy-peer-deps: its peer dependency (cdktn) is not needed to read the generated files.
  execFileSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--prefix', prefix, `@cdktn/provider-aws@${version}`],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    dir: join(prefix, 'node_modules/@cdktn/provider-aws'),
    cleanup: () => rmSync(prefix, { recursive: true, force: true }),
  };
}

/** Finds, for each tfResourceType, the generated directory that declares it. */
function indexTypes(libDir) {
  const byType = {};
  for (const name of readdirSync(libDir)) {
    if (name.startsWith('data-')) continue;
    const dts = join(libDir, name, 'index.d.ts');
    if (!existsSync(dts)) continue;
    const m = readFileSync(dts, 'utf8').match(/static readonly tfResourceType = "([a-z0-9_]+)";/);
    if (m) byType[m[1]] = join(libDir, name);
  }
  return byType;
}

/** Parses `const attrs = { name: { value: ..., isBlock: ..., type: ..., storageClassType: ... }, ... }`. */
function parseAttrs(text) {
  const out = {};
  const re = /^\s{8,16}([a-z0-9_]+): \{\s*value: ([^\n]*),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",\s*\}/gm;
  for (const m of text.matchAll(re)) {
    const nested = [...m[2].matchAll(/(?<!cdktn\.)\b([a-z][A-Za-z0-9]*)ToHclTerraform\b/g)].map((x) => x[1]);
    out[m[1]] = { isBlock: m[3] === 'true', type: m[4], nested: nested[0] };
  }
  return out;
}

function sliceBlock(text, start) {
  // From the `{` at or after start to its matching `}`.
  let i = text.indexOf('{', start);
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}') {
      depth--;
      if (depth === 0) return text.slice(i, j + 1);
    }
  }
  throw new Error('unbalanced braces');
}

/** Interfaces of index.d.ts: name => { snake_name: required }. */
function parseInterfaces(dts) {
  const out = {};
  const re = /export interface (\w+)(?: extends [\w.]+)? \{/g;
  for (const m of dts.matchAll(re)) {
    const body = sliceBlock(dts, m.index + m[0].length - 1);
    const props = {};
    const propRe = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\w+)(\?)?:/g;
    for (const p of body.matchAll(propRe)) {
      const anchor = p[1].match(/#([a-z0-9_]+) \w+#/);
      const snake = anchor ? anchor[1] : p[2].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      props[snake] = p[3] !== '?';
    }
    out[m[1]] = props;
  }
  return out;
}

function schemaFor(dir) {
  const js = readFileSync(join(dir, 'index.js'), 'utf8');
  const dts = readFileSync(join(dir, 'index.d.ts'), 'utf8');
  const interfaces = parseInterfaces(dts);
  const configName = Object.keys(interfaces).find((n) => new RegExp(`export interface ${n} extends cdktn.TerraformMetaArguments`).test(dts));
  const structs = {};
  for (const m of js.matchAll(/function (\w+)ToHclTerraform\(struct\) \{/g)) {
    const body = sliceBlock(js, m.index + m[0].length - 1);
    const attrsAt = body.indexOf('const attrs = {');
    structs[m[1]] = attrsAt < 0 ? {} : parseAttrs(sliceBlock(body, attrsAt));
  }
  const classAt = js.lastIndexOf('synthesizeHclAttributes() {');
  const rootAttrs = parseAttrs(sliceBlock(js, js.indexOf('const attrs = {', classAt)));
  const classStart = js.search(/class \w+ extends cdktn\.(TerraformResource|TerraformDataSource)/);
  const readable = [...new Set([...js.slice(classStart).matchAll(/(?:get\w*Attribute|interpolationForAttribute)\('([a-z0-9_]+)'\)/g)].map((m) => m[1]))].sort();

  const build = (attrs, iface, seen) => {
    const required = interfaces[iface] ?? {};
    const node = { attributes: {}, blocks: {} };
    for (const name of Object.keys(attrs).sort()) {
      const a = attrs[name];
      if (a.isBlock) {
        const structIface = a.nested ? a.nested[0].toUpperCase() + a.nested.slice(1) : undefined;
        const child = a.nested && !seen.has(a.nested) ? build(structs[a.nested] ?? {}, structIface, new Set([...seen, a.nested])) : { attributes: {}, blocks: {} };
        node.blocks[name] = { required: required[name] === true, nesting: a.type, ...child };
      } else {
        node.attributes[name] = { required: required[name] === true };
      }
    }
    return node;
  };
  return { ...build(rootAttrs, configName, new Set()), readable };
}

async function main() {
  const version = arg('--version') ?? DEFAULT_VERSION;
  const { resources, dataSources } = await usedTypes();
  const { dir, cleanup } = installPackage(version);
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const byType = indexTypes(join(dir, 'lib'));
    const out = {
      $comment: 'Generated by scripts/tf-schema.mjs (npm run tf:schema) from @cdktn/provider-aws; do not edit. Entries flagged hand_written are not from the package.',
      generated_from: {
        package: pkg.name,
        package_version: pkg.version,
        provider: pkg.cdktn?.provider?.name ?? pkg.cdktf?.provider?.name,
        provider_version: pkg.cdktn?.provider?.version ?? pkg.cdktf?.provider?.version,
      },
      resource_schemas: {},
      data_source_schemas: {},
    };
    const missing = [];
    for (const type of resources) {
      if (byType[type]) out.resource_schemas[type] = schemaFor(byType[type]);
      else missing.push(`resource ${type}`);
    }
    const dataDirs = Object.fromEntries(
      readdirSync(join(dir, 'lib'))
        .filter((n) => n.startsWith('data-'))
        .map((n) => [readFileSync(join(dir, 'lib', n, 'index.d.ts'), 'utf8').match(/tfResourceType = "([a-z0-9_]+)"/)?.[1], join(dir, 'lib', n)]),
    );
    for (const type of dataSources) {
      if (dataDirs[type]) out.data_source_schemas[type] = schemaFor(dataDirs[type]);
      else missing.push(`data source ${type}`);
    }
    writeFileSync(OUTPUT, `${JSON.stringify(out, null, 2)}\n`);
    console.error(`wrote ${OUTPUT}: ${resources.length} resource types, ${dataSources.length} data sources (provider ${out.generated_from.provider_version})`);
    if (missing.length) {
      console.error(`not found in the provider schema: ${missing.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    cleanup();
  }
}

await main();
