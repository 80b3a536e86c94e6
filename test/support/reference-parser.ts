// An independent reference for what the signer may sign, written from ../shared/README.md ("Protocol
// facts") and the README's "What it signs", without reading or calling lambda/src/operation.ts. The
// safety suites use it as their oracle: a 200 for anything this calls a refusal is a violation, and a
// refusal of anything this calls signable is a disagreement to explain.
//
// It reads with a cursor over a DataView, where the signer indexes fixed offsets, so that the two do
// not share a mistake by construction.

export type RefKind = 'block' | 'preattestation' | 'attestation';

export type RefVerdict =
  | { readonly verdict: 'sign'; readonly kind: RefKind; readonly chainIdHex: string; readonly level: number; readonly round: number; readonly tag?: number }
  | { readonly verdict: 'refuse'; readonly status: 400 | 403; readonly why: string };

class Truncated extends Error {}
class Bad extends Error {
  constructor(
    readonly status: 400 | 403,
    why: string,
  ) {
    super(why);
  }
}

class Cursor {
  private view: DataView;
  offset = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get left(): number {
    return this.bytes.length - this.offset;
  }
  skip(n: number): void {
    if (this.left < n) throw new Truncated(`needs ${n} bytes at ${this.offset}`);
    this.offset += n;
  }
  u8(): number {
    if (this.left < 1) throw new Truncated(`needs a byte at ${this.offset}`);
    return this.bytes[this.offset++]!;
  }
  i32(): number {
    if (this.left < 4) throw new Truncated(`needs an int32 at ${this.offset}`);
    const v = this.view.getInt32(this.offset, false);
    this.offset += 4;
    return v;
  }
  take(n: number): Uint8Array {
    if (this.left < n) throw new Truncated(`needs ${n} bytes at ${this.offset}`);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export interface ReferenceOptions {
  /** Base58-free: allowed chain ids as 8-hex-digit strings; undefined: any chain. */
  readonly allowedChainHex?: ReadonlySet<string>;
}

/** What a correct signer does with these payload bytes (after authentication). */
export function referenceVerdict(payload: Uint8Array, options: ReferenceOptions = {}): RefVerdict {
  let result: RefVerdict;
  try {
    result = read(payload);
  } catch (error) {
    if (error instanceof Truncated) return { verdict: 'refuse', status: 400, why: `truncated: ${error.message}` };
    if (error instanceof Bad) return { verdict: 'refuse', status: error.status, why: error.message };
    throw error;
  }
  // The self-test position of `tezos-signer check` passes the allow-list, and only it: an attestation
  // (tag 21) at level 0 of chain 00000000 (docs/security.md, "The self-test of check").
  const selfTest = result.verdict === 'sign' && result.kind === 'attestation' && result.tag === 21 && result.level === 0 && result.chainIdHex === '00000000';
  if (result.verdict === 'sign' && !selfTest && options.allowedChainHex && !options.allowedChainHex.has(result.chainIdHex)) {
    return { verdict: 'refuse', status: 403, why: `chain ${result.chainIdHex} not allowed` };
  }
  return result;
}

function read(payload: Uint8Array): RefVerdict {
  const c = new Cursor(payload);
  if (payload.length === 0) throw new Bad(400, 'empty');
  const magic = c.u8();
  if (magic === 0x11) return block(c);
  if (magic === 0x12) return attestation(c, 'preattestation', [20]);
  if (magic === 0x13) return attestation(c, 'attestation', [21, 23]);
  throw new Bad(403, `magic 0x${magic.toString(16)} is not consensus`);
}

function block(c: Cursor): RefVerdict {
  const chain = c.take(4);
  const level = c.i32(); // shell header: level
  c.skip(1); // proto
  c.skip(32); // predecessor
  c.skip(8); // timestamp
  c.skip(1); // validation pass
  c.skip(32); // operations hash
  const fitnessLength = c.i32(); // at byte 83
  if (fitnessLength !== 33 && fitnessLength !== 37) throw new Bad(400, `fitness length ${fitnessLength}`);
  const fitness = new Cursor(c.take(fitnessLength));
  // Tenderbake fitness: version [2], level, locked round (empty or int32), predecessor round, round.
  const element = (allowed: number[]): Uint8Array => {
    const n = fitness.i32();
    if (!allowed.includes(n)) throw new Bad(400, `fitness element of ${n} bytes`);
    return fitness.take(n);
  };
  const version = element([1]);
  if (version[0] !== 2) throw new Bad(400, `fitness version ${version[0]}`);
  const fitnessLevel = new DataView(element([4]).slice().buffer).getInt32(0, false);
  if (fitnessLevel !== level) throw new Bad(400, 'fitness level differs');
  const int32 = (bytes: Uint8Array) => new DataView(bytes.slice().buffer).getInt32(0, false);
  const lockedBytes = element([0, 4]); // locked round: none, or Some round
  const negPredecessor = int32(element([4])); // the predecessor round r, stored as -r - 1
  const round = int32(element([4]));
  if (fitness.left !== 0) throw new Bad(400, 'fitness has extra bytes');
  // Fitness_repr.from_raw (octez lib_protocol/fitness_repr.ml): Round_repr.of_int32 refuses a negative
  // locked round and a negative predecessor round (Int32.pred (Int32.neg x) < 0, computed in int32),
  // and create refuses round <= locked round.
  if (lockedBytes.length === 4) {
    const locked = int32(lockedBytes);
    if (locked < 0) throw new Bad(400, 'negative locked round');
    if (round >= 0 && round <= locked) throw new Bad(400, 'round not above the locked round');
  }
  if (((-negPredecessor | 0) - 1 | 0) < 0) throw new Bad(400, 'negative predecessor round');
  c.skip(32); // context
  c.skip(32); // payload hash
  const payloadRound = c.i32();
  c.skip(8); // proof of work nonce
  const seed = c.u8();
  if (seed === 0xff) c.skip(32);
  else if (seed !== 0x00) throw new Bad(400, `seed nonce option ${seed}`);
  c.skip(1); // per-block votes
  if (c.left !== 0) throw new Bad(400, `${c.left} trailing bytes`);
  if (level < 0 || round < 0) throw new Bad(400, 'negative level or round');
  if (payloadRound < 0 || payloadRound > round) throw new Bad(400, `payload round ${payloadRound} outside 0..${round}`);
  return { verdict: 'sign', kind: 'block', chainIdHex: hex(chain), level, round };
}

function attestation(c: Cursor, kind: 'preattestation' | 'attestation', tags: number[]): RefVerdict {
  const chain = c.take(4);
  c.skip(32); // branch
  const tag = c.u8();
  if (!tags.includes(tag)) throw new Bad(403, `tag ${tag} under the ${kind} magic`);
  c.skip(2); // slot
  const level = c.i32();
  const round = c.i32();
  c.skip(32); // block payload hash
  if (tag === 23) zarithNonNegative(c);
  if (c.left !== 0) throw new Bad(400, `${c.left} trailing bytes`);
  if (level < 0 || round < 0) throw new Bad(400, 'negative level or round');
  return { verdict: 'sign', kind, chainIdHex: hex(chain), level, round, tag };
}

/** A canonical, non-negative Zarith integer (7 bits a byte after a first byte of sign + 6 bits). */
function zarithNonNegative(c: Cursor): void {
  const first = c.u8();
  if (first & 0x40) throw new Bad(400, 'negative Zarith');
  let last = first;
  let count = 1;
  while (last & 0x80) {
    last = c.u8();
    count++;
  }
  if (count > 1 && last === 0x00) throw new Bad(400, 'non-canonical Zarith');
}

/** Signed positions compare by level, then round. */
export function above(a: { level: number; round: number }, b: { level: number; round: number }): boolean {
  return a.level > b.level || (a.level === b.level && a.round > b.round);
}
