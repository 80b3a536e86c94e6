// Terratest-style harness: deploy an example with a real `terraform apply`, test it, and ALWAYS
// destroy it. Stages can be skipped as Terratest's test_structure does, with SKIP_<stage>=1:
//   SKIP_init, SKIP_apply, SKIP_conformance, SKIP_destroy
// and E2E_WORKDIR=<dir> reuses a working directory (and its state) across runs, e.g.
// `SKIP_destroy=1 npm run test:e2e` then `SKIP_apply=1 SKIP_conformance=1 E2E_WORKDIR=... npm run test:e2e`.
// Without terraform on PATH or AWS credentials the e2e tests are skipped, saying why; never passed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/tf-files.mjs';

export interface Prerequisites {
  ready: boolean;
  reason: string;
}

function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  const r = spawnSync(cmd, ['version'], { encoding: 'utf8', env: { ...env, PATH: env.PATH ?? '' } });
  return r.status === 0;
}

/** Whether the e2e deployment can run here, and if not, why. */
export function prerequisites(env: NodeJS.ProcessEnv = process.env): Prerequisites {
  if (!onPath('terraform', env)) return { ready: false, reason: 'terraform is not on PATH' };
  const credentials =
    Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
    Boolean(env.AWS_PROFILE) ||
    Boolean(env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) ||
    Boolean(env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI);
  if (!credentials) return { ready: false, reason: 'no AWS credentials in the environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or web identity)' };
  if (!env.AWS_REGION && !env.AWS_DEFAULT_REGION) return { ready: false, reason: 'AWS_REGION is not set' };
  return { ready: true, reason: 'terraform and AWS credentials found' };
}

export function skipStage(stage: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env[`SKIP_${stage}`];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Runs a stage unless SKIP_<stage> is set; logs either way. */
export async function stage<T>(name: string, fn: () => Promise<T> | T): Promise<T | undefined> {
  if (skipStage(name)) {
    console.log(`[e2e] stage ${name}: skipped (SKIP_${name} is set)`);
    return undefined;
  }
  console.log(`[e2e] stage ${name}: running`);
  return fn();
}

/**
 * Copies an example into a working directory and points its module source at this repository
 * (absolute path), as Terratest's CopyTerraformFolderToTemp does.
 */
export function prepareExample(example: string, workDir?: string): string {
  const dir = workDir ?? mkdtempSync(join(tmpdir(), `tezos-signer-e2e-${example}-`));
  if (!existsSync(join(dir, 'main.tf'))) {
    cpSync(join(repoRoot, 'examples', example), dir, { recursive: true });
  }
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const rewritten = text.replace(/source(\s*)= "\.\.\/\.\.\/?"/g, `source$1= ${JSON.stringify(repoRoot)}`);
    if (rewritten !== text) writeFileSync(path, rewritten);
  }
  return dir;
}

export function terraform(dir: string, args: string[], options: { capture?: boolean } = {}): string {
  console.log(`[e2e] terraform ${args.join(' ')}  (in ${dir})`);
  const r = spawnSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`terraform ${args[0]} failed with exit code ${r.status}`);
  return r.stdout ?? '';
}

export function writeVars(dir: string, vars: Record<string, unknown>): string {
  const path = join(dir, 'e2e.auto.tfvars.json');
  writeFileSync(path, `${JSON.stringify(vars, null, 2)}\n`);
  return path;
}

export function outputs(dir: string): Record<string, unknown> {
  const raw = JSON.parse(terraform(dir, ['output', '-json'], { capture: true })) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value]));
}

/** Polls until the URL answers (a new Function URL or API can take a few seconds to resolve). */
export async function waitFor(url: string, timeoutMs = 120_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500 && res.status !== 403) return res;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms: ${String(last)}`);
}

export function uniqueName(prefix = 'tzs-e2e'): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.slice(0, 40);
}
