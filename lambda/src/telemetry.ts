// One structured JSON line per request, in the shape of Lambda's JSON log format, carrying CloudWatch
// embedded metrics (EMF). Never secrets: the authentication signature is not logged, only which
// authorized key it verified against.
import type { RefusalReason } from './errors.js';
import type { Kind } from './operation.js';

export type Outcome = 'signed' | 'identical_retry' | 'served' | 'refused' | 'error';

export interface RequestRecord {
  requestId: string;
  method: string;
  route: string;
  status: number;
  outcome: Outcome;
  reason?: RefusalReason;
  message?: string;
  pkh?: string;
  authorizedKey?: string;
  kind?: Kind;
  chainId?: string;
  /** The operation's level and round (`level` is the log level in Lambda's JSON log format). */
  opLevel?: number;
  opRound?: number;
  kmsMs?: number;
  /** A KMS Sign started alongside the read whose signature was not used (refused or repeated request). */
  kmsWasted?: boolean;
  dynamoDbMs?: number;
  durationMs?: number;
}

/**
 * The `Reason` dimension takes the six values of docs/interfaces.md (the dashboard graphs those): a
 * 405 counts as `not_found` and a 413 as `malformed`. The log line keeps the finer `reason`.
 */
const METRIC_REASON: Partial<Record<RefusalReason, string>> = { method: 'not_found', too_large: 'malformed' };

interface MetricDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: 'Count' | 'Milliseconds' }[];
}

/** Builds the log line (an object): fields for people and Logs Insights, `_aws` for the metrics. */
export function logLine(record: RequestRecord, namespace: string, functionName: string, now: number): Record<string, unknown> {
  const counts: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  if (record.outcome === 'signed') byKind['Signatures'] = 1;
  if (record.outcome === 'identical_retry') counts['IdenticalRetries'] = 1;
  if (record.outcome === 'refused' && record.reason !== undefined) {
    byReason['Refusals'] = 1;
    if (record.reason === 'watermark') counts['WatermarkRefusals'] = 1;
    if (record.reason === 'authentication') counts['AuthFailures'] = 1;
  }
  if (record.outcome === 'error') counts['Errors'] = 1;
  const latencies: Record<string, number> = {};
  if (record.kmsMs !== undefined) latencies['KmsLatency'] = record.kmsMs;
  if (record.dynamoDbMs !== undefined) latencies['DynamoDbLatency'] = record.dynamoDbMs;

  const directives: MetricDirective[] = [];
  const metric = (names: string[], unit: 'Count' | 'Milliseconds') => names.map((Name) => ({ Name, Unit: unit }));
  const plain = [...metric(Object.keys(counts), 'Count'), ...metric(Object.keys(latencies), 'Milliseconds')];
  if (plain.length > 0) directives.push({ Namespace: namespace, Dimensions: [['FunctionName']], Metrics: plain });
  if (Object.keys(byKind).length > 0) {
    directives.push({ Namespace: namespace, Dimensions: [['FunctionName'], ['FunctionName', 'Kind']], Metrics: metric(Object.keys(byKind), 'Count') });
  }
  if (Object.keys(byReason).length > 0) {
    directives.push({ Namespace: namespace, Dimensions: [['FunctionName'], ['FunctionName', 'Reason']], Metrics: metric(Object.keys(byReason), 'Count') });
  }

  const line: Record<string, unknown> = {
    timestamp: new Date(now).toISOString(),
    level: record.outcome === 'error' ? 'ERROR' : record.outcome === 'refused' ? 'WARN' : 'INFO',
    ...record,
  };
  if (directives.length > 0) {
    Object.assign(line, counts, byKind, byReason, latencies, {
      FunctionName: functionName,
      ...(record.kind !== undefined ? { Kind: record.kind } : {}),
      ...(record.reason !== undefined ? { Reason: METRIC_REASON[record.reason] ?? record.reason } : {}),
      _aws: { Timestamp: now, CloudWatchMetrics: directives },
    });
  }
  return line;
}

/**
 * Written with process.stdout.write, not console.log: with Lambda's JSON log format, console.log wraps
 * the line in a `message` field and CloudWatch would no longer see the `_aws` metrics block.
 */
export function writeLogLine(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}
