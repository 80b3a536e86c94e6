// Runs a TypeScript script of this repository with Node: esbuild bundles it (dependencies stay in
// node_modules) into node_modules/.cache, then it is imported. For the bench.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args]');
  process.exit(2);
}
const outdir = resolve(root, 'node_modules/.cache/run-ts');
await mkdir(outdir, { recursive: true });
const outfile = resolve(outdir, basename(entry).replace(/\.ts$/, '.mjs'));
await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  // The script's own folder, not the cache's, so that paths relative to it still hold.
  define: { 'import.meta.dirname': JSON.stringify(dirname(resolve(root, entry))) },
});
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
