// The handler writes one JSON log line per request to stdout; in-process stacks would bury the suites'
// own figures under thousands of them. Dropped here unless SHOW_HANDLER_LOGS=1. (Lines are matched on
// the shape the handler writes: telemetry.ts, a JSON object starting with "level".)
if (process.env['SHOW_HANDLER_LOGS'] !== '1') {
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.startsWith('{"level":"')) return true;
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
}
