// A small seeded PRNG (mulberry32) for the safety suites: a failing run prints its seed, and
// SAFETY_SEED=<seed> replays it.

export interface Rng {
  readonly seed: number;
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  bytes(n: number): Uint8Array;
}

export function seedFromEnv(name = 'SAFETY_SEED'): number {
  const text = process.env[name];
  if (text !== undefined && text !== '') return Number(text) >>> 0;
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

export function rng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
}

/** SOAK=1 multiplies the suites' numbers. */
export const SOAK = process.env['SOAK'] === '1' || process.env['SOAK'] === 'true';
export function scaled(ci: number, soak: number): number {
  return SOAK ? soak : ci;
}
