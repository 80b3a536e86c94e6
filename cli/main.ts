// `tezos-signer <command>`: the operator's tool. Each command lives in commands/<name>.ts.
import { readFileSync } from 'node:fs';
import { CommandFailure, EXIT, UsageError, type Command } from './command.js';
import { DataDirBusy } from './data-lock.js';
import { guardStdout } from './stdout.js';
import { authorizedKey } from './commands/authorized-key.js';
import { check } from './commands/check.js';
import { keys } from './commands/keys.js';
import { serve } from './commands/serve.js';
import { setupBaker } from './commands/setup-baker.js';
import { watermarks } from './commands/watermarks.js';
import { failover } from './commands/failover.js';
import { cost } from './commands/cost.js';

export const COMMANDS: Command[] = [serve, keys, authorizedKey, setupBaker, check, watermarks, failover, cost];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: tezos-signer <command> [options]   (--help on each command; --version)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 ok; 1 a check failed; 2 usage; 3 unreachable; 4 a KMS key or table that does not exist or cannot be used.',
    '',
  ].join('\n');
}

/** The package's version: package.json sits one folder above both cli/main.ts and dist/cli.mjs. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return String(pkg.version);
}

/** Every usage error, whoever finds it, in one shape: `tezos-signer <cmd>: <what>; see --help`. */
function usageError(command: string | undefined, message: string): number {
  const line = message.replace(/:\n- /, ': ').replace(/\n- /g, '; ').replace(/\s*\n\s*/g, ' ').replace(/\.$/, '');
  process.stderr.write(`tezos-signer${command ? ` ${command}` : ''}: ${line}; see --help\n`);
  return EXIT.usage;
}

/**
 * node:util parseArgs explains how to pass a positional that starts with '-': its first sentence is the
 * error. A flag given no value but the next flag (or a negative number) gets its own line, which keeps
 * the one thing of node's three lines that helps.
 */
function parseErrorMessage(error: Error): string {
  const ambiguous = /^Option '(?:-\w, )?(--[^']+)' argument is ambiguous/.exec(error.message);
  if (ambiguous) return `${ambiguous[1]} needs a value (write ${ambiguous[1]}=-… for one that starts with '-')`;
  return error.message.split(/\.\s+(?=[A-Z])/)[0]!;
}

export async function main(argv: string[]): Promise<number> {
  guardStdout();
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return EXIT.ok;
  }
  if (name === '--version') {
    process.stdout.write(`tezos-signer ${version()}\n`);
    return EXIT.ok;
  }
  if (name === undefined) return usageError(undefined, 'a command is required (tezos-signer --help lists them)');
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) return usageError(undefined, `unknown command: ${name}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) return usageError(name, error.message);
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return usageError(name, parseErrorMessage(error as Error));
    if (error instanceof CommandFailure && error.exitCode === EXIT.usage) return usageError(name, error.message);
    process.stderr.write(`tezos-signer ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof CommandFailure) return error.exitCode;
    // The database is there but held: as unreachable as a signer that does not answer.
    if (error instanceof DataDirBusy) return EXIT.unreachable;
    return EXIT.failed;
  }
}
