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
import { listen } from './listen.js';

export interface LocalDynamo {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startLocalDynamo(options: { dir?: string; port?: number; host?: string } = {}): Promise<LocalDynamo> {
  // Tables are ACTIVE at once: the stack starts in milliseconds, not after dynalite's default 500 ms.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.dir ? { path: options.dir } : {}) });
  const { port, url } = await listen(server, options.port, options.host);
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
