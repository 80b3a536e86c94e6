// An embedded DynamoDB: dynalite (a DynamoDB implementation on LevelDB), persisted under a folder or
// in memory, reached with the real AWS SDK client like the service.
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { listen } from './listen.js';
import { SeenSignatures } from './seen-signatures.js';
import { checkSigned, hostOf, type Credentials } from './sigv4.js';

export interface LocalDynamo {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The largest request body read, after the signature over the headers has been checked: above the
 * largest request the signer and the CLI send (the signer's conditional PutItem of a watermark, under
 * 1 KiB), measured in test/local/sigv4.test.ts. dynalite serves only the watermark table here.
 */
export const DYNAMODB_MAX_REQUEST_BYTES = 8 * 1024;

/**
 * dynalite accepts any credentials and any Host header. Its request listener is replaced by a front
 * that checks both (local/sigv4.ts) and hands only verified requests, with their body, to dynalite:
 * dynalite itself never reads a socket, so there is no port left that skips the check.
 */
function guard(server: Server, credentials: Credentials, expectedHost: () => string): void {
  const seen = new SeenSignatures();
  const inner = server.listeners('request')[0] as RequestListener | undefined;
  if (inner === undefined) throw new Error('dynalite has no request listener to guard');
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const checked = await checkSigned(request, { credentials, service: 'dynamodb', expectedHost: expectedHost(), maxBodyBytes: DYNAMODB_MAX_REQUEST_BYTES, seen });
      if ('status' in checked) {
        if (response.destroyed) return;
        const body = JSON.stringify({ __type: `com.amazon.coral.service#${checked.type}`, message: checked.message });
        // The unread rest of a refused body is not drained: the connection closes after the answer.
        response.writeHead(checked.status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body), connection: 'close' });
        response.end(body);
        return;
      }
      // dynalite reads the body from the request stream, which the check consumed: replay it.
      const replay = Object.assign(new PassThrough(), { headers: request.headers, method: request.method, url: request.url, httpVersion: request.httpVersion });
      inner(replay as unknown as IncomingMessage, response);
      replay.end(checked.body);
    })();
  });
}

export async function startLocalDynamo(options: { credentials: Credentials; dir?: string; port?: number; host?: string }): Promise<LocalDynamo> {
  // Tables are ACTIVE at once: the stack starts in milliseconds, not after dynalite's default 500 ms.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.dir ? { path: options.dir } : {}) });
  let expectedHost = '';
  guard(server, options.credentials, () => expectedHost);
  const { port, url } = await listen(server, options.port, options.host);
  expectedHost = hostOf(options.host ?? '127.0.0.1', port);
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // dynalite closes its LevelDB after the HTTP server; idle keep-alive sockets would hold it open.
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Creates the watermark table of docs/interfaces.md if it is missing, and waits until it is ACTIVE. */
export async function ensureWatermarkTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
