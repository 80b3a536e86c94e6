// 6. The inputs/outputs tables of README.md (and of each example's README) are generated from the
// .tf files by scripts/tf-docs.mjs, in terraform-docs' `markdown table` format, and must be in sync.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import hcl2json from '@cdktn/hcl2json';
import { DOC_DIRS, renderDocs, sanitizeDescription, splice } from '../../scripts/tf-docs.mjs';
import { loadModule } from '../../scripts/tf-files.mjs';
import { allModules, rel, repoRoot } from './lib/tf.js';

describe('generated Terraform docs', () => {
  it.each(DOC_DIRS)('%s/README.md is in sync with its variables and outputs (else npm run tf:docs)', async (dir) => {
    const path = join(repoRoot, dir, 'README.md');
    expect(existsSync(path)).toBe(true);
    const readme = readFileSync(path, 'utf8');
    expect(splice(readme, await renderDocs(join(repoRoot, dir)))).toBe(readme);
  });

  it('every submodule and every example (and nested stack) has generated tables', async () => {
    const dirs = [...(await allModules()).keys()].map((d) => rel(d)).filter((d) => d.startsWith('examples/') || d.startsWith('modules/'));
    expect(DOC_DIRS.filter((d) => d !== '.').sort()).toEqual(dirs.sort());
  });

  // A submodule's README shows how to call it on its own: the call must be one Terraform accepts.
  it.each(DOC_DIRS.filter((d) => d.startsWith('modules/')))('%s/README.md: its usage example calls the submodule with its own inputs, every required one given', async (dir) => {
    const readme = readFileSync(join(repoRoot, dir, 'README.md'), 'utf8');
    const block = /```hcl\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'a ```hcl usage block').toBeDefined();
    const parsed = await hcl2json.parse('usage.tf', block!);
    const calls = Object.values<any[]>(parsed.module ?? {});
    expect(calls).toHaveLength(1);
    const call = calls[0]![0] as Record<string, unknown>;
    expect(call.source).toBe(`tezos-signer/tezos-signer/aws//${dir}`);
    const mod = await loadModule(join(repoRoot, dir));
    const given = Object.keys(call).filter((k) => !['source', 'version', 'providers', 'count', 'for_each', 'depends_on'].includes(k));
    expect(given.filter((k) => !(k in mod.variable)), 'arguments that are not inputs of the submodule').toEqual([]);
    const required = Object.keys(mod.variable).filter((v) => !('default' in mod.variable[v]));
    expect(required.filter((v) => !given.includes(v)), 'required inputs the example leaves out').toEqual([]);
  });

  it('the root README lists every input and output of the module', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const esc = (s: string) => s.replace(/_/g, '\\_');
    for (const name of ['authorized_keys', 'key_admin_role_arns', 'exposure', 'lambda_reserved_concurrent_executions', 'alarm_actions_enabled', 'create_trail']) {
      expect(readme).toContain(`<a name="input_${name}"></a> [${esc(name)}](#input\\_${esc(name)})`);
    }
    for (const name of ['signer_url', 'key_arns', 'table_name', 'lambda_role_arn', 'next_steps']) expect(readme).toContain(`<a name="output_${name}"></a>`);
  });
});

// terraform-docs' own output (format/templates/markdown_table_*.tmpl, template/sanitizer.go and
// the golden files of github.com/terraform-docs/terraform-docs), checked on the root module.
describe('the tables follow terraform-docs markdown table output', async () => {
  const docs = await renderDocs(repoRoot);

  it('section headers and separators are the ones terraform-docs writes', () => {
    for (const line of [
      '## Requirements\n\n| Name | Version |\n| ---- | ------- |',
      '## Providers\n\n| Name | Version |\n| ---- | ------- |',
      '## Modules\n\n| Name | Source | Version |\n| ---- | ------ | ------- |',
      '## Resources\n\n| Name | Type |\n| ---- | ---- |',
      '## Inputs\n\n| Name | Description | Type | Default | Required |\n| ---- | ----------- | ---- | ------- | :------: |',
      '## Outputs\n\n| Name | Description |\n| ---- | ----------- |',
    ]) {
      expect(docs).toContain(line);
    }
  });

  it('resources: "type.name" without a data. prefix, managed resources first then data sources, each sorted', () => {
    const rows = docs.split('## Resources')[1]!.split('## Inputs')[0]!.split('\n').filter((l) => l.startsWith('| ['));
    expect(rows.some((r) => r.includes('[data.'))).toBe(false);
    const kinds = rows.map((r) => (r.endsWith('| data source |') ? 'data' : 'resource'));
    expect(kinds).toEqual([...kinds].sort((a, b) => (a === b ? 0 : a === 'resource' ? -1 : 1)));
    expect(rows).toContain('| [aws_iam_policy_document.lambda](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document) | data source |');
    expect(rows).toContain('| [aws_lambda_function.this](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function) | resource |');
    const names = (kind: string) => rows.filter((_, i) => kinds[i] === kind).map((r) => r.slice(3, r.indexOf(']')));
    for (const kind of ['resource', 'data']) expect(names(kind)).toEqual([...names(kind)].sort());
  });

  it('names and descriptions escape "_" as terraform-docs does (not in `code`, not in URLs), and pipes', () => {
    expect(docs).toContain('| <a name="input_role_path"></a> [role\\_path](#input\\_role\\_path) |');
    expect(sanitizeDescription('set key_spec, not `key_spec` | see https://a.example/x_y')).toBe('set key\\_spec, not `key_spec` \\| see https://a.example/x_y');
    expect(sanitizeDescription('')).toBe('n/a');
  });

  it('no description relies on the underscores terraform-docs would leave unescaped ("␣_word_␣", "_␣" at a line start)', async () => {
    const offending: string[] = [];
    for (const mod of (await allModules()).values()) {
      for (const [kind, items] of [['variable', mod.variable], ['output', mod.output]] as const) {
        for (const [n, body] of Object.entries<any>(items)) {
          const text = String(body.description ?? '');
          if (/(^|\n)\s*_+\s/.test(text) || /\s_+[^\s_].*[^\s_]_+\s/.test(text)) offending.push(`${rel(mod.dir)} ${kind} ${n}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
