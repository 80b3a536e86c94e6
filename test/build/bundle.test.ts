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
