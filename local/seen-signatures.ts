// The SigV4 signatures a local service has accepted, each kept until its request's time window closes.
// SigV4 alone accepts an exact replay of a captured request for as long as its X-Amz-Date is within
// five minutes of the server's clock: a captured KMS Sign would give fresh signatures, a captured
// DeleteItem would delete a newer item. A signature is unique to one request (the SDK signs a fresh
// amz-sdk-invocation-id and the attempt number), so a signature seen twice is a replay.

export type Remembered = 'new' | 'replay' | 'full';

export class SeenSignatures {
  /** signature → the time (ms) after which its request is refused as expired anyway. */
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  /**
   * @param capacity the most signatures held at once; past it requests are refused (fail closed)
   *   rather than a signature forgotten while its request could still be replayed.
   */
  constructor(readonly capacity = 200_000) {}

  get size(): number {
    return this.seen.size;
  }

  has(signature: string, now = Date.now()): boolean {
    const until = this.seen.get(signature);
    return until !== undefined && until >= now;
  }

  /** Records `signature` until `until`; synchronous, so two copies racing cannot both be 'new'. */
  remember(signature: string, until: number, now = Date.now()): Remembered {
    if (this.has(signature, now)) return 'replay';
    if (this.seen.size >= this.capacity || now >= this.nextSweep) this.sweep(now);
    if (this.seen.size >= this.capacity) return 'full';
    this.seen.set(signature, until);
    return 'new';
  }

  /** Drops the signatures whose window has closed: at most once a second, or when full. */
  private sweep(now: number): void {
    this.nextSweep = now + 1000;
    for (const [signature, until] of this.seen) if (until < now) this.seen.delete(signature);
  }
}
