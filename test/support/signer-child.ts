// A signer instance in its own process, as `tezos-signer serve` runs it on real-AWS settings: the
// committed bundle behind local/http-server.ts, configured from the environment (SIGNER_*, AWS_*,
// AWS_ENDPOINT_URL_*). Bundled with esbuild by test/support/safety-stack.ts and run with plain node, so
// the safety suites do not depend on dist/cli.mjs being built. Prints {"url": …} when listening.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveHandler, type LambdaHandler } from '../../local/http-server.js';

const bundle = process.env['SIGNER_BUNDLE'];
if (!bundle) throw new Error('SIGNER_BUNDLE is not set');
const module = (await import(pathToFileURL(resolve(bundle)).href)) as { handler: LambdaHandler };
const server = await serveHandler(module.handler, 0, '127.0.0.1');
process.stdout.write(JSON.stringify({ url: server.url, pid: process.pid }) + '\n');
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
