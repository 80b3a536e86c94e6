#!/usr/bin/env node
// The operator CLI. dist/cli.mjs is built from cli/ by `npm run build` and committed, like the Lambda
// bundle, so that the CLI runs after `npm ci` with no build step.

// The AWS SDK warns, once per client package, that its versions published after January 2027 will need
// Node 22. This package pins its SDK versions and supports Node 20.19 or later (engines): the warning
// is for whoever upgrades the SDK here, not for the operator, whose terminal it would fill.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('../dist/cli.mjs');
process.exitCode = await main(process.argv.slice(2));
