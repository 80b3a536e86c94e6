// The committed bundles are what users run (Terraform zips lambda/dist/handler.mjs; bin/ runs
// dist/cli.mjs): they must be exactly what the sources build to.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ARTEFACTS, buildArtefact } from '../../scripts/build.mjs';

const root = resolve(import.meta.dirname, '../..');

describe('committed bundles match the sources', () => {
  for (const artefact of ARTEFACTS) {
    test(artefact.file, async () => {
      const built = await buildArtefact(artefact);
      const committed = await readFile(resolve(root, artefact.file)).catch(() => undefined);
      expect(committed, `${artefact.file} is missing: run npm run build`).toBeDefined();
      const same = Buffer.compare(Buffer.from(built), committed!) === 0;
      console.log(`${artefact.file}: ${committed!.length} bytes committed, ${built.length} built`);
      expect(same, `${artefact.file} differs from a fresh build of the sources: run npm run build and commit it`).toBe(true);
    });
  }

  test('two builds give the same bytes (the build is deterministic)', async () => {
    const [a, b] = await Promise.all([buildArtefact(ARTEFACTS[0]!), buildArtefact(ARTEFACTS[0]!)]);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
  });
});

describe('the Lambda bundle leaves out what Lambda does not need', () => {
  test('no default credential chain, nested STS/SSO clients, event streams or endpoint discovery; the real KMS and DynamoDB clients are in; at most 250,000 bytes', async () => {
    const { build } = await import('esbuild');
    const result = await build({ ...(ARTEFACTS[0]!.options as object), metafile: true });
    const inputs = Object.keys(result.metafile!.inputs);
    const has = (part: string) => inputs.some((f) => f.includes(part));
    for (const absent of [
      '@aws-sdk/credential-provider-node',
      '@aws-sdk/nested-clients',
      '@aws-sdk/credential-provider-ini',
      '@aws-sdk/credential-provider-sso',
      'submodules/event-streams',
      'bs58check/node_modules/@noble',
      '@aws-sdk/middleware-endpoint-discovery',
      '@aws-sdk/endpoint-cache',
      'mnemonist',
    ]) {
      expect(has(absent), absent).toBe(false);
    }
    for (const present of ['@aws-sdk/client-kms/', '@aws-sdk/client-dynamodb/', 'lambda/src/env-credentials.ts']) expect(has(present), present).toBe(true);
    const bytes = Object.values(result.metafile!.outputs)[0]!.bytes;
    console.log(`lambda/dist/handler.mjs: ${bytes} bytes (goal 250,000)`);
    expect(bytes).toBeLessThanOrEqual(250_000);
  });

  test('every module is ESM: the bundle defines no require() and needs none', async () => {
    // The committed bundle, which the first test holds equal to a fresh build.
    const text = await readFile(resolve(root, ARTEFACTS[0]!.file), 'utf8');
    // esbuild's shim for a CommonJS require() throws "Dynamic require of ... is not supported" in ESM.
    expect(text).not.toContain('Dynamic require of');
    expect(text).not.toMatch(/\brequire\(/);
  });
});
