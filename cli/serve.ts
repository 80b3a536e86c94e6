// `tezos-signer serve`: the bundled Lambda handler behind a local HTTP server, on the embedded stack
// (default) or on real AWS (KMS key ids and a table name given).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveHandler, type LambdaHandler } from '../local/http-server.js';
import type { FunctionUrlIam } from '../local/function-url-auth.js';
import { randomCredentials } from '../local/sigv4.js';
import { provideCredentials, resolveSettings } from './aws-credentials.js';
import { parseSecretKey } from '../local/secret-keys.js';
import { LOCAL_REGION, LOCAL_TABLE, startLocalStack, type LocalStack } from './local-stack.js';
import { preflight } from './preflight.js';
import { CommandFailure, EXIT } from './command.js';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Real AWS (or any endpoint in AWS_ENDPOINT_URL_*): no embedded stack. */
  readonly aws?: { readonly kmsKeyIds: string[]; readonly tableName: string; readonly region?: string };
  /** Public keys; defaults to the local authorized key on the embedded stack. */
  readonly authorizedKeys?: string[];
  /** undefined: any chain (the `serve` command defaults to mainnet; this library call does not). */
  readonly allowedChainIds?: string[];
  /** The bundle to run; the committed one by default. */
  readonly bundle: string;
  /** 'aws_iam': the front stands in for a Function URL with authorization AWS_IAM (per-start invoker credentials). */
  readonly functionUrlAuth?: 'none' | 'aws_iam';
}

export interface RunningSigner {
  readonly url: string;
  readonly port: number;
  readonly env: Record<string, string>;
  readonly stack: LocalStack | undefined;
  readonly handlerUrl: string;
  /** With functionUrlAuth 'aws_iam': the credentials and Region a request must be signed with. */
  readonly functionUrlIam: FunctionUrlIam | undefined;
  /** Requests that reached the handler (Lambda invocations, on AWS). */
  handlerInvocations(): number;
  close(): Promise<void>;
}

let instances = 0;

/** Imports the bundle as a fresh module instance: it reads its configuration from process.env at import. */
export async function importHandler(bundle: string, env: Record<string, string>): Promise<LambdaHandler> {
  Object.assign(process.env, env);
  instances += 1;
  const url = `${pathToFileURL(resolve(bundle)).href}?instance=${instances}`;
  const module = (await import(url)) as { handler: LambdaHandler };
  return module.handler;
}

export async function startSigner(options: ServeOptions): Promise<RunningSigner> {
  let stack: LocalStack | undefined;
  let stopCredentials: (() => void) | undefined;
  const env: Record<string, string> = {};
  if (options.aws) {
    // The bundle reads credentials and settings from the environment only, as on Lambda (cli/aws-credentials.ts).
    const region = options.aws.region ?? process.env['AWS_REGION'];
    Object.assign(env, await resolveSettings(region));
    stopCredentials = await provideCredentials(region);
    env['SIGNER_KMS_KEY_IDS'] = options.aws.kmsKeyIds.join(',');
    env['SIGNER_TABLE_NAME'] = options.aws.tableName;
  } else {
    stack = await startLocalStack(options.dataDir);
    Object.assign(env, {
      SIGNER_KMS_KEY_IDS: stack.state.kmsKeyIds.join(','),
      SIGNER_TABLE_NAME: LOCAL_TABLE,
      AWS_REGION: LOCAL_REGION,
      // The SDK clients in the handler sign with the stack's credentials of this start.
      AWS_ACCESS_KEY_ID: stack.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: stack.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_KMS: stack.kmsUrl,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoUrl,
    });
  }
  const authorized = options.authorizedKeys ?? (stack ? [parseSecretKey(stack.state.authorizedSecretKey).publicKey.encoded] : []);
  env['SIGNER_AUTHORIZED_KEYS'] = authorized.join(',');
  env['SIGNER_ALLOWED_CHAIN_IDS'] = (options.allowedChainIds ?? []).join(',');

  let handler: LambdaHandler;
  try {
    handler = await importHandler(options.bundle, env);
    // Before listening: a key or table that does not work stops the start (cli/preflight.ts).
    await preflight({ kmsKeyIds: env['SIGNER_KMS_KEY_IDS']!.split(','), tableName: env['SIGNER_TABLE_NAME']!, region: env['AWS_REGION']! });
  } catch (error) {
    stopCredentials?.();
    await stack?.close();
    // The bundle refuses its configuration at import (lambda/src/config.ts): values given to serve.
    if ((error as Error).name === 'ConfigError') throw new CommandFailure((error as Error).message, EXIT.usage);
    throw error;
  }
  // Fresh for each start and held only by this process and whoever it prints them to: a stand-in for
  // the invoker role's credentials, never AWS credentials.
  const functionUrlIam = options.functionUrlAuth === 'aws_iam' ? { credentials: randomCredentials(), region: env['AWS_REGION']! } : undefined;
  const server = await serveHandler(handler, options.port, options.host, { functionUrlIam }).catch(async (error: unknown) => {
    stopCredentials?.();
    await stack?.close();
    throw error;
  });
  return {
    url: server.url,
    port: server.port,
    env,
    stack,
    handlerUrl: options.bundle,
    functionUrlIam,
    handlerInvocations: () => server.handlerInvocations(),
    close: async () => {
      stopCredentials?.();
      await server.close();
      await stack?.close();
    },
  };
}
