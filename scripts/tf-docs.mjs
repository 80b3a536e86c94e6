#!/usr/bin/env node
// Generates the terraform-docs style tables (requirements, providers, modules, resources, inputs,
// outputs) of the root module and of each example, and writes them between
// <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS --> of their README.md. Nothing else of the README
// is touched. `--check` exits 1 instead of writing when a README is out of date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, rel, repoRoot } from './tf-files.mjs';

const BEGIN = '<!-- BEGIN_TF_DOCS -->';
const END = '<!-- END_TF_DOCS -->';
export const DOC_DIRS = ['.', 'examples/public', 'examples/vpc-only', 'examples/dedicated-account', 'examples/dedicated-account/account'];

const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim();
const anchor = (kind, name) => `<a name="${kind}_${name}"></a> [${name}](#${kind}\\_${name.replace(/_/g, '\\_')})`;

function unwrap(expr) {
  return typeof expr === 'string' && expr.startsWith('${') && expr.endsWith('}') ? expr.slice(2, -1) : expr;
}

function code(text) {
  const s = String(text);
  if (!s.includes('\n')) return `\`${s.replace(/\|/g, '\\|')}\``;
  return `<pre>${s.replace(/\|/g, '\\|').split('\n').join('<br/>')}</pre>`;
}

/** HCL rendering of a default value, like terraform-docs. */
function hcl(value, indent = '') {
  if (value === null) return 'null';
  if (typeof value === 'string') return unwrap(value) !== value ? unwrap(value) : JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${hcl(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const width = Math.max(...entries.map(([k]) => k.length));
  return `{\n${entries.map(([k, v]) => `${inner}${/^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k)}${' '.repeat(width - k.length)} = ${hcl(v, inner)}`).join('\n')}\n${indent}}`;
}

function typeText(expr) {
  const t = unwrap(expr) ?? 'any';
  return t;
}

export async function renderDocs(dir) {
  const mod = await loadModule(dir);
  const out = [];
  const providers = Object.assign({}, ...mod.terraform.flatMap((t) => t.required_providers ?? []));
  const required = mod.terraform.find((t) => t.required_version)?.required_version;

  out.push('## Requirements', '', '| Name | Version |', '|------|---------|');
  if (required) out.push(`| ${anchor('requirement', 'terraform')} | ${esc(required)} |`);
  for (const name of Object.keys(providers).sort()) out.push(`| ${anchor('requirement', name)} | ${esc(providers[name].version ?? 'n/a')} |`);

  out.push('', '## Providers', '', '| Name | Version |', '|------|---------|');
  const used = new Set([...Object.keys(mod.resource), ...Object.keys(mod.data)].map((t) => t.split('_')[0]));
  for (const name of Object.keys(providers).sort().filter((n) => used.has(n))) out.push(`| ${anchor('provider', name)} | ${esc(providers[name].version ?? 'n/a')} |`);

  out.push('', '## Modules', '', '| Name | Source | Version |', '|------|--------|---------|');
  for (const name of Object.keys(mod.module).sort()) out.push(`| ${anchor('module', name)} | ${esc(mod.module[name].source)} | ${esc(mod.module[name].version ?? 'n/a')} |`);

  out.push('', '## Resources', '', '| Name | Type |', '|------|------|');
  const rows = [];
  for (const [kind, label, path] of [['resource', 'resource', 'resources'], ['data', 'data source', 'data-sources']]) {
    for (const type of Object.keys(mod[kind])) {
      const provider = type.split('_')[0];
      for (const name of Object.keys(mod[kind][type])) {
        const shown = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
        rows.push([shown, `| [${shown}](https://registry.terraform.io/providers/hashicorp/${provider}/latest/docs/${path}/${type.slice(provider.length + 1)}) | ${label} |`]);
      }
    }
  }
  rows.sort(([a], [b]) => a.replace(/^data\./, '').localeCompare(b.replace(/^data\./, '')));
  out.push(...rows.map(([, row]) => row));

  out.push('', '## Inputs', '', '| Name | Description | Type | Default | Required |', '|------|-------------|------|---------|:--------:|');
  for (const name of Object.keys(mod.variable).sort()) {
    const v = mod.variable[name];
    const hasDefault = 'default' in v;
    out.push(`| ${anchor('input', name)} | ${esc(v.description ?? 'n/a')} | ${code(typeText(v.type))} | ${hasDefault ? code(hcl(v.default)) : 'n/a'} | ${hasDefault ? 'no' : 'yes'} |`);
  }

  out.push('', '## Outputs', '', '| Name | Description |', '|------|-------------|');
  for (const name of Object.keys(mod.output).sort()) out.push(`| ${anchor('output', name)} | ${esc(mod.output[name].description ?? 'n/a')} |`);
  return out.join('\n');
}

export function splice(readme, docs) {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`markers ${BEGIN} / ${END} not found`);
  return `${readme.slice(0, start + BEGIN.length)}\n${docs}\n${readme.slice(end)}`;
}

async function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const d of DOC_DIRS) {
    const dir = join(repoRoot, d);
    const readmePath = join(dir, 'README.md');
    if (!existsSync(readmePath)) continue;
    const readme = readFileSync(readmePath, 'utf8');
    const next = splice(readme, await renderDocs(dir));
    if (next === readme) continue;
    stale++;
    if (check) console.error(`${rel(readmePath)} is out of date: run npm run tf:docs`);
    else {
      writeFileSync(readmePath, next);
      console.error(`wrote ${rel(readmePath)}`);
    }
  }
  if (check && stale) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
