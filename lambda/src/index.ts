// The Lambda entry point: configuration and AWS clients at cold start, one Signer per instance.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { ConfigError, loadConfig, type Config } from './config.js';
import { errorName } from './watermark-store.js';
import { errorResponse, requestFromEvent, type HttpResponse, type LambdaHttpEvent } from './http.js';
import { kmsApi, loadConsensusKeys, type ConsensusKey } from './kms.js';
import { Signer } from './signer.js';
import { prepareVerification } from './signature.js';
import { logLine, writeLogLine } from './telemetry.js';
import { DynamoWatermarkStore, type WatermarkStore } from './watermark-store.js';
import { multiRegionGuard } from './table-mode.js';
import { describeTableFacts } from './describe-table.js';
import { MalformedRequest } from './errors.js';

export type Handler = (event: LambdaHttpEvent, context?: { awsRequestId?: string }) => Promise<HttpResponse>;

export interface ClientOptions {
  readonly kms?: KMSClientConfig;
  readonly dynamodb?: DynamoDBClientConfig;
}

// Short timeouts and few attempts: a baker retries a failed request itself, and an answer late by
// seconds is worth nothing at 6-second blocks. Endpoints come from AWS_ENDPOINT_URL_KMS and
// AWS_ENDPOINT_URL_DYNAMODB when set (the local stack), from the region otherwise.
const CLIENT_DEFAULTS = {
  maxAttempts: 3,
  // Pinned, not read from AWS_RETRY_MODE: adaptive mode would hold a signing request back behind a
  // client-side rate limiter while the baker's slot passes. (The Lambda bundle leaves it out.)
  retryMode: 'standard',
  // throwOnRequestTimeout: without it this SDK version only logs a warning at requestTimeout and keeps
  // waiting: a GetItem delayed 12 s was waited for in full, past the Lambda timeout (see test/safety/faults.test.ts).
  requestHandler: { connectionTimeout: 1000, requestTimeout: 2500, throwOnRequestTimeout: true },
} as const;

export function createHandler(config: Config, options: ClientOptions = {}): Handler {
  const kms = kmsApi(new KMSClient({ ...CLIENT_DEFAULTS, ...options.kms }));
  const dynamodb = new DynamoDBClient({ ...CLIENT_DEFAULTS, ...options.dynamodb });
  const regional = new DynamoWatermarkStore(dynamodb, config.tableName);
  const store: WatermarkStore = config.multiRegion
    ? multiRegionGuard(regional, config.tableName, (name) => describeTableFacts(dynamodb, name))
    : regional;

  config.authorizedKeys.forEach(prepareVerification);

  // Public keys are fetched once; a failure is not cached, so the next request tries again.
  let keys: Promise<ReadonlyMap<string, ConsensusKey>> | undefined;
  const loadKeys = () => {
    keys ??= loadConsensusKeys(kms, config.kmsKeyIds).then(
      (list) => {
        list.forEach((k) => prepareVerification(k.publicKey));
        return new Map(list.map((k) => [k.publicKey.pkh.encoded, k]));
      },
      (error: unknown) => {
        keys = undefined;
        throw error;
      },
    );
    return keys;
  };

  // Fetched during the cold start, so the first signing request does not wait for GetPublicKey.
  loadKeys().catch(() => undefined);

  const signer = new Signer({
    authorizedKeys: config.authorizedKeys,
    allowedChainIds: config.allowedChainIds,
    keys: loadKeys,
    kms,
    store,
  });

  return async (event, context) => {
    const requestId = context?.awsRequestId ?? 'local';
    let request;
    try {
      request = requestFromEvent(event, requestId);
    } catch (error) {
      const message = error instanceof MalformedRequest ? error.message : 'unreadable event';
      writeLogLine(logLine({ requestId, method: '?', route: 'none', status: 400, outcome: 'refused', reason: 'malformed', message }, config.metricsNamespace, config.functionName, Date.now()));
      return errorResponse(400, message);
    }
    const { response, record } = await signer.handle(request);
    writeLogLine(logLine(record, config.metricsNamespace, config.functionName, Date.now()));
    return response;
  };
}

function fromEnvironment(): Handler {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    // Fail the cold start: Lambda reports an init error on every invocation, and this line says why.
    const message = error instanceof ConfigError ? error.message : errorName(error);
    writeLogLine({ timestamp: new Date().toISOString(), level: 'FATAL', message });
    throw error;
  }
  return createHandler(config);
}

export const handler: Handler = fromEnvironment();
export { loadConfig };
