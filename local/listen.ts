// Every local server (HTTP front, KMS, DynamoDB, fault proxy) listens the same way: loopback by
// default, port 0 for an ephemeral one, a start-up error rejected rather than thrown later.
import type { Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';

/**
 * The URL a client on this host uses to reach a server bound to `host`. An IPv6 address goes in
 * brackets (`http://:::6732` is no URL), and a wildcard address is reached through the loopback of
 * its family: `0.0.0.0` and `::` name no host a client could connect to on every system.
 */
export function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return isIP(host) === 6 ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, url: localUrl(host, bound) };
}
