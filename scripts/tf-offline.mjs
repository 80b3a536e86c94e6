// Terraform without a registry: installs the offline hashicorp/aws provider (test/terraform/provider)
// and runs terraform against it in a scratch copy of the repository, so that the working tree is never
// written to (.terraform, lock files, plans stay in the copy).
//
// Installation:
// - the plugin is bundled once into node_modules/.cache/tf-offline/provider.mjs (its packages resolve
//   from the repository's node_modules);
// - per provider version, a filesystem mirror in the unpacked layout
//   (<mirror>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_v<version>),
//   whose executable is a shell wrapper running that bundle with this Node and that version's schema;
// - per version, a CLI configuration naming only that mirror. With no `direct` block, Terraform installs
//   nothing else and never asks a registry. It is passed as TF_CLI_CONFIG_FILE to the commands run here:
//   the user's own ~/.terraformrc is never read or touched.
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROVIDER_DIR = join(repoRoot, 'test/terraform/provider');
export const SCHEMA_DIR = join(PROVIDER_DIR, 'schemas');
const CACHE = join(repoRoot, 'node_modules/.cache/tf-offline');

/** The provider versions whose schemas are committed, oldest first. */
export function schemaVersions() {
  const key = (v) => v.split('.').map(Number);
  return readdirSync(SCHEMA_DIR)
    .map((f) => f.match(/^aws-(\d+\.\d+\.\d+)\.json$/)?.[1])
    .filter((v) => v !== undefined)
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    });
}

/** The terraform binary's version, or null when there is none on PATH. */
export function terraformVersion() {
  try {
    const out = execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', env: terraformEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(out).terraform_version ?? null;
  } catch {
    return null;
  }
}

function platform() {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Bundles the plugin and writes one mirror and CLI configuration per committed schema version, under
 * `cacheDir` (a caller running beside `tf:check` may pass its own).
 */
export async function installOfflineProvider(versions = schemaVersions(), cacheDir = CACHE) {
  mkdirSync(cacheDir, { recursive: true });
  // Several test files install it while others run terraform with it (vitest runs files side by
  // side): every file is written beside its place and renamed into it, so that a plugin starting
  // meanwhile reads the old file or the new one, never half of one, and no mirror is ever removed.
  const bundle = join(cacheDir, 'provider.mjs');
  const bundleTmp = `${bundle}.${process.pid}.tmp`;
  await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(PROVIDER_DIR, 'src/main.ts')],
    outfile: bundleTmp,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  renameSync(bundleTmp, bundle);
  const writeAtomically = (file, text, mode) => {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    if (mode) chmodSync(tmp, mode);
    renameSync(tmp, file);
  };
  return versions.map((version) => {
    const mirror = join(cacheDir, `mirror-${version}`);
    const dir = join(mirror, 'registry.terraform.io/hashicorp/aws', version, platform());
    mkdirSync(dir, { recursive: true });
    const exe = join(dir, `terraform-provider-aws_v${version}`);
    writeAtomically(
      exe,
      [
        '#!/bin/sh',
        '# The offline hashicorp/aws provider of terraform-aws-tezos-signer (test/terraform/provider).',
        `TF_OFFLINE_AWS_SCHEMA=${shellQuote(join(SCHEMA_DIR, `aws-${version}.json`))} \\`,
        `TF_OFFLINE_PROTO_DIR=${shellQuote(join(PROVIDER_DIR, 'proto'))} \\`,
        `exec ${shellQuote(process.execPath)} ${shellQuote(bundle)} "$@"`,
        '',
      ].join('\n'),
      0o755,
    );
    const cliConfig = join(cacheDir, `cli-${version}.tfrc`);
    writeAtomically(
      cliConfig,
      [
        '# Written by scripts/tf-offline.mjs: only the offline hashicorp/aws, from a local mirror.',
        'provider_installation {',
        '  filesystem_mirror {',
        `    path    = ${JSON.stringify(mirror)}`,
        '    include = ["registry.terraform.io/hashicorp/aws"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    return { version, cliConfig };
  });
}

/** The environment every terraform command here runs in: no telemetry, no prompts, no user config. */
export function terraformEnv(cliConfig) {
  const env = { ...process.env };
  // Terraform's version check ("checkpoint") calls a HashiCorp server: never from here.
  env.CHECKPOINT_DISABLE = '1';
  env.TF_IN_AUTOMATION = '1';
  env.TF_INPUT = '0';
  delete env.TF_LOG;
  delete env.TF_DATA_DIR;
  delete env.TF_PLUGIN_CACHE_DIR;
  for (const k of Object.keys(env)) if (k.startsWith('TF_VAR_') || k.startsWith('AWS_')) delete env[k];
  if (cliConfig) env.TF_CLI_CONFIG_FILE = cliConfig;
  else env.TF_CLI_CONFIG_FILE = '/dev/null';
  return env;
}

/** The repository's files (tracked, or untracked and not ignored), node_modules aside. */
function repositoryFiles() {
  try {
    const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter((f) => f && f !== 'node_modules' && !f.startsWith('node_modules/'));
  } catch {
    const out = [];
    const walk = (rel) => {
      for (const e of readdirSync(join(repoRoot, rel), { withFileTypes: true })) {
        if (['node_modules', '.git', '.terraform', 'tmp'].includes(e.name)) continue;
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(p);
        else out.push(p);
      }
    };
    walk('');
    return out;
  }
}

/** A scratch copy of the repository, where terraform may write; removed by the returned function. */
export function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'tf-check-'));
  for (const f of repositoryFiles()) {
    const src = join(repoRoot, f);
    if (!existsSync(src) || !lstatSync(src).isFile()) continue; // deleted in the working tree, or a link
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(src, join(dir, f));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs terraform; resolves with its exit code and output (never rejects on a non-zero exit).
 * `timeoutMs` bounds it: a hung plugin must not hang the suite.
 */
export function terraform(args, { cwd, cliConfig, timeoutMs = 180_000 }) {
  return new Promise((resolvePromise) => {
    const child = spawn('terraform', [...args, '-no-color'], { cwd, env: terraformEnv(cliConfig), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    const timer = setTimeout(() => {
      out += `\n(tf-offline: terraform ${args[0]} killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 1, output: out });
    });
  });
}
