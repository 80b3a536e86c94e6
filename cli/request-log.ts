// What `serve` shows per request. The handler writes one JSON line per request to stdout (the Lambda
// log format, with its metrics): right for a log pipeline, a wall of text in a terminal. On a TTY,
// unless --json-logs, each of those lines becomes one short human line; anything else passes through.

export type LogFormat = 'json' | 'human';

/** Human lines only for a person at a terminal; a pipe or a file keeps the JSON a machine reads. */
export function logFormat(options: { isTTY: boolean | undefined; jsonLogs: boolean }): LogFormat {
  return options.isTTY === true && !options.jsonLogs ? 'human' : 'json';
}

/** The handler's log line (telemetry.ts): a JSON object whose first field is "level". */
function parseLogLine(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{"level":"')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * One line: time, what (kind and level/round, or the route), outcome (with the refusal reason and
 * status), duration. E.g. `12:04:17  attestation  level 1234 round 0  signed  14 ms`.
 */
export function humanLine(record: Record<string, unknown>, now: Date = new Date()): string {
  // The audit line carries no time of its own (CloudWatch stamps each line): the time it is shown.
  const time = (str(record['timestamp']) ?? now.toISOString()).slice(11, 19);
  const kind = str(record['kind']);
  const level = num(record['opLevel']);
  const round = num(record['opRound']);
  const what = kind !== undefined ? `${kind}${level !== undefined ? `  level ${level} round ${round ?? '?'}` : ''}` : `${str(record['method']) ?? ''} ${str(record['route']) ?? ''}`.trim();
  const outcome = str(record['outcome']) ?? '?';
  const status = num(record['status']);
  const reason = str(record['reason']);
  const result = outcome === 'refused' || outcome === 'error' ? `${outcome} ${status ?? ''}${reason ? ` (${reason})` : ''}`.trim() : outcome;
  const ms = num(record['ms']) ?? num(record['durationMs']);
  return `${time}  ${what}  ${result}${ms !== undefined ? `  ${Math.round(ms)} ms` : ''}`;
}

interface Writable {
  write(chunk: unknown, ...rest: unknown[]): boolean;
}

/**
 * Rewrites the handler's JSON lines on `stream` (process.stdout) in the given format; `mute()` drops
 * them (serve's own start-up requests, which are not the operator's). Returns a function that restores
 * the stream.
 */
export function filterRequestLogs(stream: Writable, format: LogFormat): { mute(on: boolean): void; restore(): void } {
  const original = stream.write;
  const write = original.bind(stream) as Writable['write'];
  let muted = false;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    // JSON out and not muted: the line goes as it is, unparsed (a signer under load writes thousands).
    if (typeof chunk !== 'string' || (format === 'json' && !muted)) return write(chunk, ...rest);
    const record = parseLogLine(chunk);
    if (record === undefined) return write(chunk, ...rest);
    if (muted) return true;
    return format === 'human' ? write(humanLine(record) + '\n') : write(chunk, ...rest);
  }) as Writable['write'];
  return {
    mute: (on) => {
      muted = on;
    },
    restore: () => {
      stream.write = original;
    },
  };
}
