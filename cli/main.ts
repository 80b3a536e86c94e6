// `tezos-signer <command>`: the operator's tool. Each command lives in commands/<name>.ts.
import { CommandFailure, EXIT, UsageError, type Command } from './command.js';
import { DataDirBusy } from './data-lock.js';
import { authorizedKey } from './commands/authorized-key.js';
import { check } from './commands/check.js';
import { keys } from './commands/keys.js';
import { serve } from './commands/serve.js';
import { setupBaker } from './commands/setup-baker.js';
import { watermarks } from './commands/watermarks.js';
import { failover } from './commands/failover.js';

export const COMMANDS: Command[] = [serve, keys, authorizedKey, setupBaker, check, watermarks, failover];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: tezos-signer <command> [options]   (--help on each command)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    process.stderr.write(`unknown command: ${name}\n\n${help()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tezos-signer ${name}: ${(error as Error).message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    process.stderr.write(`tezos-signer ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof CommandFailure) return error.exitCode;
    // The database is there but held: as unreachable as a signer that does not answer.
    if (error instanceof DataDirBusy) return EXIT.unreachable;
    return EXIT.failed;
  }
}
