import { createServer } from 'node:http';
import { describe, expect, test } from 'vitest';
import { listen, localUrl } from '../../local/listen.js';

describe('the URL of a local server', () => {
  test.each([
    ['127.0.0.1', 'http://127.0.0.1:6732'],
    ['::1', 'http://[::1]:6732'],
    ['0.0.0.0', 'http://127.0.0.1:6732'],
    ['::', 'http://[::1]:6732'],
    ['localhost', 'http://localhost:6732'],
  ])('bound to %s: %s', (host, url) => {
    expect(localUrl(host, 6732)).toBe(url);
    expect(() => new URL(url)).not.toThrow();
  });

  test.each(['::1', '::', '127.0.0.1'])('a server bound to %s answers at the URL listen returns', async (host) => {
    const server = createServer((_request, response) => response.end('here'));
    try {
      const { url } = await listen(server, 0, host);
      const response = await fetch(url);
      expect(await response.text()).toBe('here');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
