// `tezos-signer … | head`: the reader of stdout may leave before the writer is done. Node then emits
// EPIPE as an 'error' event on process.stdout, which, unhandled, crashes the process with a stack trace.
// Here it means "nobody reads any more": the rest of the output is dropped (a destroyed stream ignores
// later writes), the command finishes with its own exit code, and a long-running command (serve) is told.
import type { Writable } from 'node:stream';

const closedListeners: Array<() => void> = [];
let guarded = false;
let closed = false;

/** Installs the EPIPE handling on `stream` (process.stdout), once. */
export function guardStdout(stream: Writable = process.stdout): void {
  if (guarded) return;
  guarded = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (closed) return;
    closed = true;
    for (const listener of closedListeners) listener();
  });
}

/** Calls `listener` once the reader of stdout has gone. */
export function onStdoutClosed(listener: () => void): void {
  if (closed) listener();
  else closedListeners.push(listener);
}
