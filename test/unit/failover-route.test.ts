// The routing core of `tezos-signer failover` (cli/failover-route.ts) without sockets: a fake clock and
// fake upstreams that take time, answer, fail or hang.
import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY, Health, movesOn, route, type FailoverPolicy, type Outcome } from '../../cli/failover-route.js';

type Behaviour = { outcome: Outcome; ms: number };
const ok: Behaviour = { outcome: { kind: 'answer', status: 200 }, ms: 40 };
const refused: Behaviour = { outcome: { kind: 'connection_error', detail: 'ECONNREFUSED' }, ms: 1 };
const hangs: Behaviour = { outcome: { kind: 'timeout' }, ms: Infinity };
const answer = (status: number, ms = 30): Behaviour => ({ outcome: { kind: 'answer', status }, ms });

/** Upstreams on a fake clock: each attempt advances it by its time, or by the timeout when it takes longer. */
function world(policy: FailoverPolicy = DEFAULT_POLICY) {
  let clock = 1_000_000;
  const behaviours: Behaviour[][] = [];
  const log: { upstream: number; timeoutMs: number; start: number; end: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const health = new Health(2, policy);
  const send = async (upstream: number, timeoutMs: number) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const b = behaviours[upstream]!.shift() ?? behaviours[upstream]![0] ?? ok;
    const start = clock;
    await Promise.resolve();
    const outcome: Outcome = b.ms > timeoutMs ? { kind: 'timeout' } : b.outcome;
    clock += Math.min(b.ms, timeoutMs);
    log.push({ upstream, timeoutMs, start, end: clock });
    inFlight--;
    return { outcome, ...(outcome.kind === 'answer' ? { response: `${upstream}:${outcome.status}` } : {}) };
  };
  return {
    health,
    log,
    set: (upstream: number, ...b: Behaviour[]) => (behaviours[upstream] = b),
    advance: (ms: number) => (clock += ms),
    now: () => clock,
    maxInFlight: () => maxInFlight,
    go: (signing = true) => route(health, policy, () => clock, signing, send),
  };
}

describe('movesOn', () => {
  test.each([
    [{ kind: 'answer', status: 200 }, false],
    [{ kind: 'answer', status: 403 }, false],
    [{ kind: 'answer', status: 409 }, false],
    [{ kind: 'answer', status: 500 }, true],
    [{ kind: 'answer', status: 503 }, true],
    [{ kind: 'timeout' }, true],
    [{ kind: 'connection_error', detail: 'ECONNRESET' }, true],
  ] as [Outcome, boolean][])('%j: %s', (outcome, expected) => {
    expect(movesOn(outcome)).toBe(expected);
  });
});

describe('route', () => {
  test('a healthy first region answers; the second is never asked', async () => {
    const w = world();
    w.set(0, ok);
    w.set(1, ok);
    const r = await w.go();
    expect(r.response).toBe('0:200');
    expect(w.log.map((l) => l.upstream)).toEqual([0]);
  });

  test.each([
    ['a connection error', refused],
    ['a 503', answer(503)],
    ['a 500', answer(500)],
    ['a timeout', hangs],
  ])('after %s, the next region answers', async (_, first) => {
    const w = world();
    w.set(0, first);
    w.set(1, ok);
    const r = await w.go();
    expect(r.response).toBe('1:200');
    expect(r.upstream).toBe(1);
    expect(r.attempts.map((a) => a.upstream)).toEqual([0, 1]);
  });

  test('a 4xx is an answer: a refusal is not asked again elsewhere', async () => {
    for (const status of [400, 401, 403, 404, 409]) {
      const w = world();
      w.set(0, answer(status));
      const r = await w.go();
      expect(r.response).toBe(`0:${status}`);
      expect(w.log).toHaveLength(1);
    }
  });

  test('attempts are sequential: each starts after the previous ended, never two at once', async () => {
    const w = world();
    w.set(0, hangs);
    w.set(1, answer(503, 100));
    await w.go();
    expect(w.maxInFlight()).toBe(1);
    expect(w.log[1]!.start).toBeGreaterThanOrEqual(w.log[0]!.end);
  });

  test('the budget: a hanging region costs one attempt timeout, and the second attempt gets what is left', async () => {
    const policy = { ...DEFAULT_POLICY, attemptTimeoutMs: 2000, budgetMs: 3000 };
    const w = world(policy);
    w.set(0, hangs);
    w.set(1, hangs);
    const start = w.now();
    const r = await w.go();
    expect(r.response).toBeUndefined();
    expect(w.log.map((l) => l.timeoutMs)).toEqual([2000, 1000]);
    expect(w.now() - start).toBeLessThanOrEqual(policy.budgetMs);
  });

  test('the default budget fits a 6-second round with two hanging regions', async () => {
    const w = world();
    w.set(0, hangs);
    w.set(1, hangs);
    const start = w.now();
    await w.go();
    expect(w.now() - start).toBeLessThanOrEqual(DEFAULT_POLICY.budgetMs);
    expect(DEFAULT_POLICY.budgetMs).toBeLessThan(6000);
    expect(2 * DEFAULT_POLICY.attemptTimeoutMs).toBeLessThanOrEqual(DEFAULT_POLICY.budgetMs);
  });

  test('no attempt starts with less than minAttemptMs left', async () => {
    const policy = { ...DEFAULT_POLICY, attemptTimeoutMs: 2000, budgetMs: 2100, minAttemptMs: 250 };
    const w = world(policy);
    w.set(0, hangs);
    w.set(1, ok);
    const r = await w.go();
    expect(w.log).toHaveLength(1);
    expect(r.response).toBeUndefined();
  });

  test('every region failing with a 5xx: the last 5xx is the answer', async () => {
    const w = world();
    w.set(0, answer(503));
    w.set(1, answer(500));
    const r = await w.go();
    expect(r.response).toBe('1:500');
  });
});

describe('health', () => {
  test('a failed region is tried second during its back-off, first again after it', async () => {
    const w = world();
    w.set(0, refused, ok, ok);
    w.set(1, ok);
    await w.go();
    w.log.length = 0;
    await w.go();
    expect(w.log.map((l) => l.upstream)).toEqual([1]);
    w.advance(DEFAULT_POLICY.backoffMs);
    w.log.length = 0;
    await w.go();
    expect(w.log.map((l) => l.upstream)).toEqual([0]);
  });

  test('back-off doubles with each failure, up to the maximum', () => {
    const h = new Health(2);
    const t = 0;
    const downs: number[] = [];
    for (let i = 0; i < 8; i++) {
      h.record(0, { kind: 'timeout' }, t, true);
      downs.push(h.order(t)[0] === 1 ? 1 : 0);
    }
    expect(h.isDown(0, DEFAULT_POLICY.maxBackoffMs - 1)).toBe(true);
    expect(h.isDown(0, DEFAULT_POLICY.maxBackoffMs)).toBe(false);
    const h2 = new Health(2);
    h2.record(0, { kind: 'timeout' }, 0, true);
    h2.record(0, { kind: 'timeout' }, 0, true);
    expect(h2.isDown(0, 2 * DEFAULT_POLICY.backoffMs - 1)).toBe(true);
    expect(h2.isDown(0, 2 * DEFAULT_POLICY.backoffMs)).toBe(false);
    expect(downs.every((d) => d === 1)).toBe(true);
  });

  test('every region in back-off: all are still tried, the soonest back first', () => {
    const h = new Health(3);
    h.record(0, { kind: 'timeout' }, 100, true);
    h.record(1, { kind: 'timeout' }, 0, true);
    h.record(2, { kind: 'timeout' }, 50, true);
    expect(h.order(200)).toEqual([1, 2, 0]);
  });

  test('GET /authorized_keys answering (no KMS, no table behind it) does not clear a signing failure', () => {
    const h = new Health(2);
    h.record(0, { kind: 'answer', status: 503 }, 0, true);
    h.record(0, { kind: 'answer', status: 200 }, 10, false);
    expect(h.order(20)).toEqual([1, 0]);
    h.record(0, { kind: 'answer', status: 200 }, 30, true);
    expect(h.order(40)).toEqual([0, 1]);
  });
});
