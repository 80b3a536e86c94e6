#!/usr/bin/env node
// The operator CLI. dist/cli.mjs is built from cli/ by `npm run build` and committed, like the Lambda
// bundle, so that the CLI runs after `npm ci` with no build step.
import { main } from '../dist/cli.mjs';

process.exitCode = await main(process.argv.slice(2));
