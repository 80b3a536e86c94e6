// The audit log: one compact JSON line per signing request, refusal or error, and the few custom
// metrics nothing free gives, as CloudWatch embedded metrics (EMF) on the lines of the events they
// count. Never secrets: the authentication signature is not logged, only which authorized key it
// verified against.
//
// What is not here, and why (docs/cost.md): reads of public information (GET /authorized_keys, the
// public keys) are not logged, Lambda's free Invocations metric counts them; signatures, latencies and
// retries are not metrics: a metric published every hour costs $0.30 a month, and the alarms use
// Lambda's and DynamoDB's free metrics for what those say (docs/interfaces.md). A metric published only
// on a refusal or an error is billed only for the hours it occurs in.
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
  dynamoDbMs?: number;
  durationMs?: number;
  /** A KMS Sign started alongside the read whose signature was not used (refused or repeated request). */
  kmsWasted?: boolean;
  /** The self-test position of `tezos-signer check` (self-test.ts), not a baker's request. */
  selfTest?: boolean;
}

/** The custom metrics, each with the one dimension set `[FunctionName]`, on the lines that count them. */
export const METRICS = ['WatermarkRefusals', 'AuthFailures', 'Errors'] as const;
export type MetricName = (typeof METRICS)[number];

function metricOf(record: RequestRecord): MetricName | undefined {
  if (record.outcome === 'error') return 'Errors';
  if (record.outcome === 'refused' && record.reason === 'watermark') return 'WatermarkRefusals';
  if (record.outcome === 'refused' && record.reason === 'authentication') return 'AuthFailures';
  return undefined;
}

/**
 * The log line of a request (an object), or undefined for a served read, which is not logged. Field
 * order is fixed: the line is read by people as well as by Logs Insights.
 */
export function logLine(record: RequestRecord, namespace: string, functionName: string, now: number): Record<string, unknown> | undefined {
  if (record.outcome === 'served') return undefined;
  const line: Record<string, unknown> = {
    level: record.outcome === 'error' ? 'ERROR' : record.outcome === 'refused' ? 'WARN' : 'INFO',
    requestId: record.requestId,
    outcome: record.outcome,
  };
  if (record.outcome === 'refused' || record.outcome === 'error') {
    Object.assign(line, { status: record.status, reason: record.reason, message: record.message, route: record.route, method: record.method });
  }
  const optional: [string, unknown][] = [
    ['pkh', record.pkh],
    // Which authorized key verified: on refusals and errors. A signature's line leaves it out to stay
    // within 300 bytes; a signature was necessarily authorized by one of SIGNER_AUTHORIZED_KEYS.
    ['by', record.outcome === 'signed' || record.outcome === 'identical_retry' ? undefined : record.authorizedKey],
    ['chain', record.chainId],
    ['kind', record.kind],
    ['opLevel', record.opLevel],
    ['opRound', record.opRound],
    ['kmsMs', record.kmsMs],
    ['ddbMs', record.dynamoDbMs],
    ['ms', record.durationMs],
    ['kmsWasted', record.kmsWasted],
    ['selfTest', record.selfTest],
  ];
  for (const [name, value] of optional) if (value !== undefined) line[name] = value;
  const metric = metricOf(record);
  if (metric !== undefined) {
    line['FunctionName'] = functionName;
    line[metric] = 1;
    line['_aws'] = { Timestamp: now, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [['FunctionName']], Metrics: [{ Name: metric, Unit: 'Count' }] }] };
  }
  return line;
}

/**
 * Written with process.stdout.write, not console.log: with Lambda's JSON log format, console.log wraps
 * the line in a `message` field and CloudWatch would no longer see the `_aws` metrics block.
 */
export function writeLogLine(line: Record<string, unknown> | undefined): void {
  if (line !== undefined) process.stdout.write(JSON.stringify(line) + '\n');
}
