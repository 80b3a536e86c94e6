// Bundles the Lambda into one minified ESM file. Deterministic: the same sources and lockfile give the
// same bytes, which is what lets a test compare the committed bundle with a fresh build.
import { build } from 'esbuild';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = resolve(root, 'lambda/dist/handler.mjs');

/** Builds the bundle in memory and returns its bytes. */
export async function bundle() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['lambda/src/index.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    treeShaking: true,
    legalComments: 'none',
    sourcemap: false,
    charset: 'utf8',
    mainFields: ['module', 'main'],
    // Some AWS SDK dependencies are CommonJS and require() Node built-ins; ESM has no require.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await bundle();
  await mkdir(dirname(BUNDLE), { recursive: true });
  await writeFile(BUNDLE, bytes);
  console.log(`lambda/dist/handler.mjs: ${bytes.length} bytes (${(bytes.length / 1024).toFixed(1)} KiB)`);
}
