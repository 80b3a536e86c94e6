// What every CLI command is: a name, a line of help, and a run that returns the process exit code.

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: string[]): Promise<number>;
}

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The check ran and found a problem (a refusal that should have been a signature, a mismatch). */
  failed: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** Could not reach the signer, KMS or DynamoDB. */
  unreachable: 3,
  /**
   * The AWS resources named do not work: a KMS key or table that does not exist or cannot be used
   * (disabled, pending deletion, not a signing key of a supported curve, another key schema, access
   * denied, credentials the service does not know). Starting again changes nothing: the systemd unit
   * (deploy/) does not restart on it.
   */
  config: 4,
} as const;

export class UsageError extends Error {}

/** A failure that knows its exit code and says what to do; printed without a stack trace. */
export class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
