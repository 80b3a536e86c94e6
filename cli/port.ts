// Whether a TCP port can be listened on, asked before `serve` creates anything: a taken port must
// fail the command before its first start writes keys.
import { createServer } from 'node:net';
import { CommandFailure, EXIT } from './command.js';

export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return; // the system picks a free one
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new CommandFailure(`port ${port} on ${host} is taken (another signer?): stop it, or choose another with --port N or SIGNER_PORT`, EXIT.usage)
          : new CommandFailure(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`, EXIT.usage),
      );
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
