// Builds the committed artefacts: the Lambda bundle (one minified ESM file with every dependency),
// its deterministic zip (what Terraform uploads: lambda/dist/handler.zip, scripts/zip.mjs) and the
// operator CLI (dependencies left in node_modules). Deterministic: the same sources and lockfile give
// the same bytes, which lets a test compare the committed files with a fresh build.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { storedZip } from './zip.mjs';
import { lambdaTrims } from './lambda-trims.mjs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The Lambda runtimes the module's `runtime` input allows (variables.tf validates the same list;
 * test/build/runtime.test.ts holds the two equal). The bundle is one artefact for all of them, so it is
 * built for the oldest one's Node major: what runs there runs on the newer ones.
 */
export const LAMBDA_RUNTIMES = ['nodejs22.x', 'nodejs24.x'];
export const LAMBDA_TARGET = `node${Math.min(...LAMBDA_RUNTIMES.map((r) => Number(/^nodejs(\d+)\.x$/.exec(r)[1])))}`;

/**
 * The operator CLI and `serve` run on the machine's Node, package.json's engines (>=20.19): the CLI is
 * built for that. `serve` also runs the Lambda bundle there; test/build/runtime.test.ts checks that the
 * bundle built for that Node is the same bytes as for LAMBDA_TARGET.
 */
const engines = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).engines.node;
export const HOST_TARGET = `node${/^>=(\d+(?:\.\d+)*)$/.exec(engines)[1]}`;

const COMMON = {
  absWorkingDir: root,
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: LAMBDA_TARGET,
  legalComments: 'none',
  sourcemap: false,
  charset: 'utf8',
  logLevel: 'silent',
};

/**
 * dynalite (the embedded DynamoDB of `serve` and --data-dir) is a dev dependency: the CLI requires it when
 * a command opens the embedded DynamoDB, not when it starts, so that an installed package (no dev
 * dependencies) runs every other command.
 */
const lazyDynalite = {
  name: 'lazy-dynalite',
  setup(b) {
    b.onResolve({ filter: /^dynalite$/ }, () => ({ path: 'dynalite', namespace: 'lazy-dynalite' }));
    b.onLoad({ filter: /^dynalite$/, namespace: 'lazy-dynalite' }, () => ({
      contents: "import { createRequire } from 'node:module';\nexport default function dynalite(options) { return createRequire(import.meta.url)('dynalite')(options); }\n",
      loader: 'js',
    }));
  },
};

/** Modules of the Lambda bundle replaced at build time (test/build/bundle.test.ts checks the result). */
export const LAMBDA_ALIASES = {
  '@aws-sdk/credential-provider-node': './lambda/src/env-credentials.ts',
  '@smithy/core/event-streams': './lambda/src/trims/no-event-streams.ts',
  '@aws-sdk/middleware-endpoint-discovery': './lambda/src/trims/no-endpoint-discovery.ts',
  // bs58check imports SHA-256 from @noble/hashes 1.x: the 2.x the signer already bundles computes the same.
  '@noble/hashes/sha256': '@noble/hashes/sha2.js',
};

export const ARTEFACTS = [
  {
    file: 'lambda/dist/handler.mjs',
    options: {
      ...COMMON,
      entryPoints: ['lambda/src/index.ts'],
      minify: true,
      mainFields: ['module', 'main'],
      // Lambda passes the role's credentials in environment variables: the SDK's default chain (profiles,
      // SSO, STS, IMDS, with their nested clients) is left out of the Lambda bundle. See
      // lambda/src/env-credentials.ts; `serve` gives real-AWS credentials to the handler the same way.
      alias: LAMBDA_ALIASES,
      plugins: [lambdaTrims(root)],
      // No banner defining require(): every bundled module is ESM since the CommonJS LRU cache of endpoint
      // discovery left (test/build/bundle.test.ts fails on esbuild's dynamic-require shim).
    },
  },
  {
    file: 'dist/cli.mjs',
    options: {
      ...COMMON,
      entryPoints: ['cli/main.ts'],
      target: HOST_TARGET,
      minify: false,
      packages: 'external',
      plugins: [lazyDynalite],
      banner: { js: '// Built from cli/ by `npm run build`; do not edit.' },
    },
  },
];

/** The Lambda zip: handler.mjs at its root, as the function's handler "handler.handler" expects. */
export const LAMBDA_ZIP = 'lambda/dist/handler.zip';
export function lambdaZip(handlerBytes) {
  return storedZip('handler.mjs', handlerBytes);
}

/** Builds one artefact in memory and returns its bytes. */
export async function buildArtefact(artefact) {
  const result = await build(artefact.options);
  return result.outputFiles[0].contents;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const artefact of ARTEFACTS) {
    const bytes = await buildArtefact(artefact);
    const path = resolve(root, artefact.file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    console.log(`${artefact.file}: ${bytes.length} bytes (${(bytes.length / 1024).toFixed(1)} KiB)`);
    if (artefact.file === 'lambda/dist/handler.mjs') {
      const zip = lambdaZip(bytes);
      await writeFile(resolve(root, LAMBDA_ZIP), zip);
      console.log(`${LAMBDA_ZIP}: ${zip.length} bytes (stored, fixed timestamp and mode)`);
    }
  }
}
