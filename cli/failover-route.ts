// The routing of `tezos-signer failover`, pure: which region a request tries first, when it moves on,
// how long it may take. No sockets here: the proxy (cli/failover-proxy.ts) passes in one function that
// sends the request to one upstream and settles when that attempt is over.
//
// One request is never in two regions' hands at once from here: attempts are strictly sequential, and
// the next starts only after the previous one answered, failed, or was aborted. An aborted attempt may
// still be running inside its region (a Lambda finishes its invocation): a retry elsewhere is safe only
// because both regions decide on one watermark (an MRSC table), where an identical request gets the
// signature recorded for it, and other bytes at a signed position are refused (docs/failover.md).

export interface FailoverPolicy {
  /** The longest one attempt may take, connection and answer included. */
  readonly attemptTimeoutMs: number;
  /** The longest a request may take over all its attempts. */
  readonly budgetMs: number;
  /** An attempt is not started with less than this left of the budget: it could not finish. */
  readonly minAttemptMs: number;
  /** Back-off of a region after its first failure, doubled after each further one… */
  readonly backoffMs: number;
  /** …up to this. */
  readonly maxBackoffMs: number;
}

/**
 * Mainnet rounds are 6 s, and a (pre)attestation is worth something only if it is signed early in its
 * round. A warm signature takes two in-region round trips (read ‖ KMS Sign, then the conditional write):
 * tens of milliseconds; a cold start adds the Node runtime's init and one GetPublicKey, well under a
 * second. 2 s per attempt covers a cold start with room; two attempts (4 s) fit the 4.5 s budget, which
 * leaves 1.5 s of the round to the baker. See docs/failover.md.
 */
export const DEFAULT_POLICY: FailoverPolicy = {
  attemptTimeoutMs: 2000,
  budgetMs: 4500,
  minAttemptMs: 250,
  backoffMs: 5000,
  maxBackoffMs: 60_000,
};

export type Outcome =
  | { readonly kind: 'answer'; readonly status: number }
  | { readonly kind: 'connection_error'; readonly detail: string }
  | { readonly kind: 'timeout' };

/** A connection error, a timeout or a 5xx: the region could not answer, another may. A 4xx is an answer. */
export function movesOn(outcome: Outcome): boolean {
  return outcome.kind !== 'answer' || outcome.status >= 500;
}

export function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === 'answer') return `HTTP ${outcome.status}`;
  if (outcome.kind === 'timeout') return 'timeout';
  return `connection error (${outcome.detail})`;
}

interface UpstreamHealth {
  failures: number;
  /** Before this time the upstream is tried only after the healthy ones. */
  downUntil: number;
}

/** Passive health: what the last attempts at each upstream said, in the order the operator gave them. */
export class Health {
  private readonly state: UpstreamHealth[];

  constructor(
    readonly count: number,
    private readonly policy: FailoverPolicy = DEFAULT_POLICY,
  ) {
    this.state = Array.from({ length: count }, () => ({ failures: 0, downUntil: 0 }));
  }

  /**
   * The order to try upstreams in: the healthy ones in the operator's order, then those in back-off,
   * soonest back first. None is left out: with every region in back-off, trying beats refusing.
   */
  order(now: number): number[] {
    const all = this.state.map((s, i) => ({ i, downUntil: s.downUntil }));
    const healthy = all.filter((s) => s.downUntil <= now).map((s) => s.i);
    const waiting = all
      .filter((s) => s.downUntil > now)
      .sort((a, b) => a.downUntil - b.downUntil || a.i - b.i)
      .map((s) => s.i);
    return [...healthy, ...waiting];
  }

  /**
   * Records an attempt. `signing`: a POST /keys/<pkh>. Only a signing request's answer clears a failure:
   * GET /authorized_keys is answered without KMS or DynamoDB, so a region cut from its table would
   * otherwise look healthy before every signing request octez-client sends.
   */
  record(upstream: number, outcome: Outcome, now: number, signing: boolean): void {
    const s = this.state[upstream]!;
    if (movesOn(outcome)) {
      s.failures += 1;
      s.downUntil = now + Math.min(this.policy.backoffMs * 2 ** Math.min(s.failures - 1, 20), this.policy.maxBackoffMs);
    } else if (signing || s.failures === 0) {
      s.failures = 0;
      s.downUntil = 0;
    }
  }

  isDown(upstream: number, now: number): boolean {
    return this.state[upstream]!.downUntil > now;
  }
}

export interface Attempt<R> {
  readonly upstream: number;
  readonly outcome: Outcome;
  readonly ms: number;
  /** The answer, when there was one (a 5xx included). */
  readonly response?: R;
}

export type SendAttempt<R> = (upstream: number, timeoutMs: number) => Promise<{ outcome: Outcome; response?: R }>;

export interface Routed<R> {
  /** The answer to give: the first that did not move on, else the last 5xx; undefined: none came. */
  readonly response: R | undefined;
  /** The upstream whose answer that is. */
  readonly upstream: number | undefined;
  readonly attempts: Attempt<R>[];
}

/** Sends one request to one upstream after another, each attempt over before the next starts. */
export async function route<R>(health: Health, policy: FailoverPolicy, now: () => number, signing: boolean, send: SendAttempt<R>): Promise<Routed<R>> {
  const start = now();
  const attempts: Attempt<R>[] = [];
  let fallback: { response: R; upstream: number } | undefined;
  for (const upstream of health.order(start)) {
    const left = policy.budgetMs - (now() - start);
    if (left < policy.minAttemptMs) break;
    const began = now();
    const { outcome, response } = await send(upstream, Math.min(policy.attemptTimeoutMs, left));
    const ended = now();
    health.record(upstream, outcome, ended, signing);
    attempts.push({ upstream, outcome, ms: ended - began, ...(response !== undefined ? { response } : {}) });
    if (!movesOn(outcome)) return { response, upstream, attempts };
    if (response !== undefined) fallback = { response, upstream };
  }
  return { response: fallback?.response, upstream: fallback?.upstream, attempts };
}
