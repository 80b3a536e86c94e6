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
export const DOC_DIRS = ['.', 'modules/exposure', 'modules/kms-key', 'modules/monitoring', 'modules/watermark-table', 'examples/public', 'examples/vpc-only', 'examples/dedicated-account', 'examples/dedicated-account/account', 'examples/multi-region'];

// What follows reproduces terraform-docs' `markdown table` output with its defaults (escape,
// anchors, HTML, sort by name, Required column), from its templates and sanitizer:
// github.com/terraform-docs/terraform-docs format/templates/markdown_table_*.tmpl and
// template/sanitizer.go, template/anchor.go, and its golden files format/testdata/markdown/.

/** SanitizeName: underscores escaped. */
const name = (s) => String(s).replace(/_/g, '\\_');

/** CreateAnchorMarkdown: the <a> name is left as is, the text and the link are escaped. */
const anchor = (kind, value) => `<a name="${kind}_${value}"></a> [${name(value)}](#${name(`${kind}_${value}`)})`;

/** Splits on a delimiter into [text, code, text, code, ...] like terraform-docs' processSegments. */
function segments(s, delimiter, text, code) {
  let inCode = s.startsWith(delimiter);
  let out = '';
  for (const segment of s.split(delimiter)) {
    if (segment.length === 0) continue;
    out += inCode ? code(segment) : text(segment);
    inCode = !inCode;
  }
  return out;
}

const URL = /https?:\/\/[^\s<>`|]+/g;

/**
 * SanitizeMarkdownTable for a description: "|" escaped and "_" escaped outside `code`, URLs
 * restored, line breaks as <br/>. terraform-docs leaves "_" unescaped where it reads as emphasis
 * ("␣_word_␣") or as a list marker ("_␣" at a line start); descriptions here use neither (a test
 * checks it), so every other "_" is escaped, as terraform-docs does.
 */
export function sanitizeDescription(s) {
  if (!s) return 'n/a';
  let out = segments(String(s), '`', (t) => t.replace(/\|/g, '\\|'), (c) => `\`${c}\``);
  out = segments(out, '`', (t) => t.replace(/_/g, '\\_'), (c) => `\`${c}\``);
  out = out.trim().replace(/ {2}\n/g, '<br/>').replace(/\n/g, '<br/>');
  return out.replace(URL, (url) => url.replace(/\\/g, ''));
}

/** A type or default: `one line`, or <pre> with <br/> for several lines, pipes escaped inline. */
function code(text) {
  const s = String(text);
  if (!s.includes('\n')) return `\`${s}\``;
  return `<pre>${s.trim().replace(/\r/g, '').split('\n').join('<br/>')}</pre>`;
}

function unwrap(expr) {
  return typeof expr === 'string' && expr.startsWith('${') && expr.endsWith('}') ? expr.slice(2, -1) : expr;
}

/** JSON with sorted keys and two-space indentation, as Go's encoding/json gives terraform-docs. */
function sortedJson(value) {
  const sort = (v) => (Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v);
  return JSON.stringify(sort(value), null, 2);
}

/** A default value as terraform-docs shows it: JSON, or the expression text for an expression. */
function defaultText(value) {
  if (typeof value === 'string' && unwrap(value) !== value) return unwrap(value);
  return sortedJson(value);
}

const section = (title, header, rows, none) => (rows.length ? [`## ${title}`, '', ...header, ...rows] : [`## ${title}`, '', none]);

export async function renderDocs(dir) {
  const mod = await loadModule(dir);
  const providers = Object.assign({}, ...mod.terraform.flatMap((t) => t.required_providers ?? []));
  const required = mod.terraform.find((t) => t.required_version)?.required_version;
  const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  const requirements = [];
  if (required) requirements.push(`| ${anchor('requirement', 'terraform')} | ${required} |`);
  for (const p of Object.keys(providers).sort(byName)) requirements.push(`| ${anchor('requirement', p)} | ${providers[p].version ?? 'n/a'} |`);

  // Providers used by a resource or data source, plus configured aliases (aws.signer).
  const used = new Set([...Object.keys(mod.resource), ...Object.keys(mod.data)].map((t) => t.split('_')[0]));
  for (const [p, configs] of Object.entries(mod.provider)) {
    used.add(p);
    for (const c of configs) if (c.alias) used.add(`${p}.${c.alias}`);
  }
  const providerRows = [...used].sort(byName).map((p) => `| ${anchor('provider', p)} | ${providers[p.split('.')[0]]?.version ?? 'n/a'} |`);

  const modules = Object.keys(mod.module).sort(byName).map((m) => `| ${anchor('module', m)} | ${mod.module[m].source} | ${mod.module[m].version ?? 'n/a'} |`);

  // Managed resources first, then data sources, each by type.name; no "data." prefix.
  const resources = [];
  for (const [kind, label, path] of [['resource', 'resource', 'resources'], ['data', 'data source', 'data-sources']]) {
    const specs = Object.keys(mod[kind]).flatMap((type) => Object.keys(mod[kind][type]).map((n) => [type, n]));
    specs.sort(([t1, n1], [t2, n2]) => byName(`${t1}.${n1}`, `${t2}.${n2}`));
    for (const [type, n] of specs) {
      const provider = type.split('_')[0];
      resources.push(`| [${type}.${n}](https://registry.terraform.io/providers/hashicorp/${provider}/latest/docs/${path}/${type.slice(provider.length + 1)}) | ${label} |`);
    }
  }

  const inputs = Object.keys(mod.variable).sort(byName).map((v) => {
    const body = mod.variable[v];
    const hasDefault = 'default' in body;
    return `| ${anchor('input', v)} | ${sanitizeDescription(body.description)} | ${code(unwrap(body.type) ?? 'any')} | ${hasDefault ? code(defaultText(body.default)) : 'n/a'} | ${hasDefault ? 'no' : 'yes'} |`;
  });

  const outputs = Object.keys(mod.output).sort(byName).map((o) => `| ${anchor('output', o)} | ${sanitizeDescription(mod.output[o].description)} |`);

  return [
    ...section('Requirements', ['| Name | Version |', '| ---- | ------- |'], requirements, 'No requirements.'),
    '',
    ...section('Providers', ['| Name | Version |', '| ---- | ------- |'], providerRows, 'No providers.'),
    '',
    ...section('Modules', ['| Name | Source | Version |', '| ---- | ------ | ------- |'], modules, 'No modules.'),
    '',
    ...section('Resources', ['| Name | Type |', '| ---- | ---- |'], resources, 'No resources.'),
    '',
    ...section('Inputs', ['| Name | Description | Type | Default | Required |', '| ---- | ----------- | ---- | ------- | :------: |'], inputs, 'No inputs.'),
    '',
    ...section('Outputs', ['| Name | Description |', '| ---- | ----------- |'], outputs, 'No outputs.'),
  ].join('\n');
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
