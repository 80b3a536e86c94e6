// Every local server (HTTP front, KMS, DynamoDB, fault proxy) listens the same way: loopback by
// default, port 0 for an ephemeral one, a start-up error rejected rather than thrown later.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, url: `http://${host}:${bound}` };
}
