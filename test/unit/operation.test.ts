// The consensus parser (lambda/src/operation.ts), byte by byte: every shared vector, and every way a
// payload must be refused. Offsets of a block with a 33-byte fitness (signatory-integration/C1):
//   level 5 | fitness length 83 | fitness 87..120: version 87 (len) 91 (byte), level 92/96,
//   locked round 100 (len 0), predecessor round 104/108, round 112/116 | context 120 | payload hash 152
//   | payload round 184 | proof-of-work nonce 188 | seed nonce hash tag 196 | per-block votes 197 | end 198
import { describe, expect, test } from 'vitest';
import { encodeChainId } from '../../lambda/src/base58.js';
import { toHex } from '../../lambda/src/bytes.js';
import { MalformedRequest, PolicyRefusal, SignerError } from '../../lambda/src/errors.js';
import { parseConsensusOperation } from '../../lambda/src/operation.js';
import { VECTORS, VECTOR_NAMES, b58, cat, setInt32, vector } from './helpers.js';

const BLOCK = 'signatory-integration/C1'; // level 34, round 4, payload round 4
const PRE = 'signatory-integration/C2';
const ATT = 'signatory-integration/C3';
const DAL0 = 'constructed/C3-with-dal-0';

const FITNESS_LENGTH_AT = 83;
const FITNESS = 87;
const LOCKED_ROUND_LENGTH_AT = FITNESS + 13;
const ROUND_AT = FITNESS + 29;
const PAYLOAD_ROUND_AT = FITNESS + 33 + 64;
const SEED_NONCE_AT = FITNESS + 33 + 76;

function refusal(run: () => unknown): SignerError {
  try {
    run();
  } catch (error) {
    if (error instanceof SignerError) return error;
    throw new Error(`expected a SignerError, got ${String(error)}`);
  }
  throw new Error('expected a refusal, the payload was accepted');
}

const parse = (bytes: Uint8Array) => parseConsensusOperation(bytes);
const malformed = (bytes: Uint8Array) => {
  const e = refusal(() => parse(bytes));
  expect(e).toBeInstanceOf(MalformedRequest);
  expect(e.status).toBe(400);
  return e.message;
};
const policy = (bytes: Uint8Array) => {
  const e = refusal(() => parse(bytes));
  expect(e).toBeInstanceOf(PolicyRefusal);
  expect(e.status).toBe(403);
  return e.message;
};

/** C1 with its fitness replaced by `fitness` (the fitness length field follows). */
function withFitness(fitness: Uint8Array, declared = fitness.length): Uint8Array {
  const block = vector(BLOCK);
  return setInt32(cat(block.subarray(0, FITNESS), fitness, block.subarray(FITNESS + 33)), FITNESS_LENGTH_AT, declared);
}
const C1_FITNESS = () => vector(BLOCK).slice(FITNESS, FITNESS + 33);

/** C1 with a locked round: the 33-byte fitness becomes 37 bytes, the round still its last element. */
function withLockedRound(locked: number): Uint8Array {
  const f = C1_FITNESS();
  // version(5) level(8) | locked round: 00000000 -> 00000004 <locked> | predecessor(8) round(8)
  return withFitness(cat(f.subarray(0, 13), '00000004', setInt32(new Uint8Array(4), 0, locked), f.subarray(17)));
}

describe('every shared vector: kind, level, round, chain id, tag', () => {
  test('the vectors are all there', () => {
    expect(VECTOR_NAMES).toHaveLength(12);
  });

  test.each(VECTOR_NAMES)('%s', (name) => {
    const v = VECTORS[name]!;
    const bytes = vector(name);
    expect(toHex(bytes.subarray(0, 1))).toBe(v.magic.slice(2));
    const op = parse(bytes);
    expect(op.kind).toBe(v.kind);
    expect(op.level).toBe(v.level);
    expect(op.round).toBe(v.round);
    expect(toHex(op.chainId)).toBe(v.chain_id_hex);
    // base58 of the chain id, computed independently of lambda/src/base58.ts
    expect(encodeChainId(op.chainId)).toBe(b58('575200', Uint8Array.from(Buffer.from(v.chain_id_hex, 'hex'))));
    expect(op.tag).toBe(v.tag);
  });

  test('chain ids in base58: the vectors\' chains, and mainnet', () => {
    expect(encodeChainId(parse(vector(BLOCK)).chainId)).toBe('NetXo5iVw1vBoxM');
    expect(encodeChainId(parse(vector('signatory-unit/block')).chainId)).toBe('NetXxkAx4woPLyu');
    expect(encodeChainId(Uint8Array.from([0x7a, 0x06, 0xa7, 0x70]))).toBe('NetXdQprcVkpaWU');
  });

  test('the chain id is a copy: changing the payload afterwards does not change it', () => {
    const bytes = vector(ATT);
    const op = parse(bytes);
    bytes[1] = 0;
    expect(toHex(op.chainId)).toBe(VECTORS[ATT]!.chain_id_hex);
  });
});

describe('refused by policy (403): not a consensus operation', () => {
  const body = vector(ATT).subarray(1);

  test.each(Array.from({ length: 256 }, (_, i) => i).filter((m) => m < 0x11 || m > 0x13))('magic byte 0x%s', (magic) => {
    const name = `0x${magic.toString(16).padStart(2, '0')}`;
    for (const bytes of [cat([magic], body), Uint8Array.of(magic), cat([magic], vector(BLOCK).subarray(1))]) {
      const message = policy(bytes);
      expect(message).toContain(name);
      expect(message).toMatch(/not a consensus operation/);
    }
  });

  test('the common non-consensus magic bytes are named for what they are', () => {
    expect(policy(cat('03', 'ab'.repeat(60)))).toMatch(/transfer \(0x03\)/);
    expect(policy(cat('05', '0100000003616263'))).toMatch(/Michelson data \(0x05\)/);
    expect(policy(cat('01', vector(BLOCK).subarray(1)))).toMatch(/legacy block \(0x01\)/);
    expect(policy(cat('02', vector(ATT).subarray(1)))).toMatch(/legacy endorsement \(0x02\)/);
    expect(policy(cat('04', vector(ATT).subarray(1)))).toMatch(/authentication request \(0x04\)/);
  });

  const tags = Array.from({ length: 256 }, (_, i) => i);
  test.each([
    [PRE, 0x12, [20]],
    [ATT, 0x13, [21, 23]],
  ] as const)('%s: every other operation tag under its magic byte', (name, magic, allowed) => {
    for (const tag of tags.filter((t) => !(allowed as readonly number[]).includes(t))) {
      const bytes = vector(name);
      expect(bytes[0]).toBe(magic);
      bytes[37] = tag;
      expect(policy(bytes)).toMatch(new RegExp(`tag ${tag}\\b`));
      // whatever follows the tag: shorter, or with a DAL-like tail
      expect(policy(bytes.subarray(0, 38))).toMatch(new RegExp(`tag ${tag}\\b`));
      expect(policy(cat(bytes, '00'))).toMatch(new RegExp(`tag ${tag}\\b`));
    }
  });

  test('aggregates (30, 31) and BLS consensus operations (40, 41) are named', () => {
    const as = (name: string, tag: number) => {
      const bytes = vector(name);
      bytes[37] = tag;
      return policy(bytes);
    };
    expect(as(PRE, 30)).toMatch(/preattestations aggregate \(tag 30\)/);
    expect(as(ATT, 31)).toMatch(/attestations aggregate \(tag 31\)/);
    expect(as(PRE, 40)).toMatch(/BLS preattestation \(tag 40, tz4 only\)/);
    expect(as(ATT, 41)).toMatch(/BLS attestation \(tag 41, tz4 only\)/);
    expect(as(ATT, 40)).toMatch(/tag 40/);
    expect(as(PRE, 21)).toMatch(/tag 21 under the preattestation magic byte; expected tag 20/);
    expect(as(ATT, 20)).toMatch(/tag 20 under the attestation magic byte; expected tag 21 or 23/);
  });
});

describe('malformed (400): truncated, or longer than the layout', () => {
  test('an empty payload', () => {
    expect(malformed(new Uint8Array())).toMatch(/empty/);
  });

  test.each(VECTOR_NAMES)('%s truncated at every length', (name) => {
    const bytes = vector(name);
    for (let length = 0; length < bytes.length; length++) malformed(bytes.slice(0, length));
  });

  test.each(VECTOR_NAMES)('%s with one trailing byte', (name) => {
    for (const extra of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      expect(malformed(cat(vector(name), [extra]))).toMatch(/trailing/);
    }
  });
});

describe('block fitness', () => {
  test.each([32, 34, 36, 38])('a fitness of %i bytes is refused (declared and actual)', (length) => {
    const f = C1_FITNESS();
    const fitness = length < 33 ? f.subarray(0, length) : cat(f, new Uint8Array(length - 33));
    expect(malformed(withFitness(fitness))).toMatch(new RegExp(`fitness of ${length} bytes`));
    // the length field alone changed, the bytes unchanged
    expect(malformed(setInt32(vector(BLOCK), FITNESS_LENGTH_AT, length))).toMatch(/fitness/);
  });

  test.each([0, 1, 4, -1, -33, 0x7fffffff, -0x80000000])('a fitness length field of %i is refused', (length) => {
    malformed(setInt32(vector(BLOCK), FITNESS_LENGTH_AT, length));
  });

  test('elements inconsistent with the fitness length are refused', () => {
    const f = () => C1_FITNESS();
    const cases: [string, Uint8Array][] = [
      // 37 declared and present, but the locked round is empty: 4 bytes left over after the round
      ['37 bytes, empty locked round', withFitness(cat(f(), '00000000'))],
      // 33 bytes, but the locked round claims 4: the elements no longer fit
      ['33 bytes, locked round of 4', withFitness(setInt32(f(), 13, 4))],
      // 33 bytes rearranged: locked round 4, predecessor round 4, round empty
      ['33 bytes, empty round', withFitness(cat(f().subarray(0, 13), '00000004', '00000001', f().subarray(17, 25), '00000000'))],
      ['version of 2 bytes', withFitness(setInt32(f(), 0, 2))],
      ['version of 0 bytes', withFitness(setInt32(f(), 0, 0))],
      ['level of 3 bytes', withFitness(setInt32(f(), 5, 3))],
      ['level of 8 bytes', withFitness(setInt32(f(), 5, 8))],
      ['predecessor round of 0 bytes', withFitness(setInt32(f(), 17, 0))],
      ['predecessor round of 8 bytes', withFitness(setInt32(f(), 17, 8))],
      ['round of 8 bytes', withFitness(setInt32(f(), 25, 8))],
      ['round of -1 bytes', withFitness(setInt32(f(), 25, -1))],
      ['locked round of 1 byte', withFitness(setInt32(f(), 13, 1))],
    ];
    for (const [name, bytes] of cases) expect(malformed(bytes), name).toMatch(/fitness/);
  });

  test('a fitness version other than 2 (Tenderbake) is refused', () => {
    for (const version of [0, 1, 3, 0xff]) {
      const bytes = vector(BLOCK);
      bytes[FITNESS + 4] = version;
      expect(malformed(bytes)).toMatch(/version/);
    }
  });

  test('a fitness level other than the header level is refused', () => {
    for (const level of [33, 35, 0, -34, 34 + 2 ** 16]) {
      expect(malformed(setInt32(vector(BLOCK), FITNESS + 9, level))).toMatch(/fitness level differs/);
      expect(malformed(setInt32(vector(BLOCK), 5, level))).toMatch(/fitness level differs/);
    }
  });

  test('a locked round (37-byte fitness): the round is the last element, not a fixed offset', () => {
    for (const locked of [0, 1, 3]) {
      const bytes = withLockedRound(locked);
      expect(bytes.length).toBe(vector(BLOCK).length + 4);
      expect(parse(bytes)).toEqual({ kind: 'block', chainId: vector(BLOCK).subarray(1, 5), level: 34, round: 4, tag: undefined });
    }
    // the round after a locked round, changed: read from the end of the fitness
    const bytes = withLockedRound(2);
    setInt32(bytes, FITNESS + 37 - 4, 9);
    expect(parse(bytes).round).toBe(9);
    // 4 bytes before the round sits the predecessor round's value (-124: round 123): not read as the round
    expect(parse(setInt32(withLockedRound(2), FITNESS + 25, -124)).round).toBe(4);
  });

  // Tezos' Fitness_repr.from_raw (octez src/proto_025_PsUshuai/lib_protocol/fitness_repr.ml) refuses these.
  test.each([-1, -2, -4, -0x80000000])('a negative locked round (%i) is refused', (locked) => {
    expect(malformed(withLockedRound(locked))).toMatch(/negative locked round/);
  });

  test.each([4, 5, 0x7fffffff])('a locked round (%i) not below the round (4) is refused', (locked) => {
    expect(malformed(withLockedRound(locked))).toMatch(/locked round \d+ is not below the round 4/);
  });

  test('the predecessor round field must encode a round >= 0 (it holds -round - 1)', () => {
    const PREDECESSOR_AT = FITNESS + 21; // in the 33-byte fitness: version(5) level(8) locked(4) | length(4) value
    for (const field of [0, 1, 123, 0x7fffffff]) {
      expect(malformed(setInt32(vector(BLOCK), PREDECESSOR_AT, field))).toMatch(/predecessor round field/);
    }
    for (const field of [-1, -2, -124, -0x80000000]) expect(parse(setInt32(vector(BLOCK), PREDECESSOR_AT, field)).round).toBe(4);
  });

  test('a locked round block is still refused when truncated or extended', () => {
    const bytes = withLockedRound(3);
    for (let length = 0; length < bytes.length; length++) malformed(bytes.slice(0, length));
    malformed(cat(bytes, '00'));
    // declared 33 with the 37 bytes present
    malformed(setInt32(withLockedRound(3), FITNESS_LENGTH_AT, 33));
  });
});

describe('block levels, rounds and protocol data', () => {
  test('a negative level is refused (header and fitness agreeing)', () => {
    for (const level of [-1, -34, -0x80000000]) {
      const bytes = setInt32(setInt32(vector(BLOCK), 5, level), FITNESS + 9, level);
      expect(malformed(bytes)).toMatch(/negative level/);
    }
  });

  test('a negative round is refused', () => {
    for (const round of [-1, -4, -0x80000000]) {
      const bytes = setInt32(vector(BLOCK), ROUND_AT, round);
      expect(malformed(bytes)).toMatch(/round/);
      // with the payload round at 0 too
      expect(malformed(setInt32(bytes, PAYLOAD_ROUND_AT, 0))).toMatch(/round/);
    }
  });

  test('the largest level and round parse', () => {
    const bytes = setInt32(setInt32(vector(BLOCK), 5, 0x7fffffff), FITNESS + 9, 0x7fffffff);
    setInt32(bytes, ROUND_AT, 0x7fffffff);
    expect(parse(bytes)).toMatchObject({ level: 0x7fffffff, round: 0x7fffffff });
    expect(parse(setInt32(setInt32(vector(BLOCK), 5, 0), FITNESS + 9, 0))).toMatchObject({ level: 0 });
  });

  test('the payload round must be within 0..round', () => {
    for (const payloadRound of [0, 1, 4]) expect(parse(setInt32(vector(BLOCK), PAYLOAD_ROUND_AT, payloadRound)).round).toBe(4);
    for (const payloadRound of [5, -1, 0x7fffffff]) {
      expect(malformed(setInt32(vector(BLOCK), PAYLOAD_ROUND_AT, payloadRound))).toMatch(/payload round/);
    }
  });

  test('a seed nonce hash present (0xff + 32 bytes) parses; any other option tag is refused', () => {
    const block = vector(BLOCK);
    expect(block[SEED_NONCE_AT]).toBe(0x00);
    const withNonce = cat(block.subarray(0, SEED_NONCE_AT), 'ff', new Uint8Array(32).fill(0x5a), block.subarray(SEED_NONCE_AT + 1));
    expect(withNonce.length).toBe(block.length + 32);
    expect(parse(withNonce)).toMatchObject({ kind: 'block', level: 34, round: 4 });
    for (let length = 0; length < withNonce.length; length++) malformed(withNonce.slice(0, length));
    malformed(cat(withNonce, '00'));
    // 0xff announces 32 bytes: without them the votes byte is missing
    malformed(cat(block.subarray(0, SEED_NONCE_AT), 'ff', block.subarray(SEED_NONCE_AT + 1)));
    for (const tag of [0x01, 0x02, 0x80, 0xfe]) {
      const bad = vector(BLOCK);
      bad[SEED_NONCE_AT] = tag;
      expect(malformed(bad)).toMatch(/seed nonce/);
    }
  });

  test('a locked round and a seed nonce hash together', () => {
    const locked = withLockedRound(1);
    const at = SEED_NONCE_AT + 4;
    expect(locked[at]).toBe(0);
    const bytes = cat(locked.subarray(0, at), 'ff', new Uint8Array(32).fill(1), locked.subarray(at + 1));
    expect(parse(bytes)).toMatchObject({ level: 34, round: 4 });
  });
});

describe('(pre)attestations', () => {
  test.each([PRE, ATT, DAL0])('%s: a negative level or round is refused', (name) => {
    for (const value of [-1, -0x80000000]) {
      expect(malformed(setInt32(vector(name), 40, value))).toMatch(/negative level/);
      expect(malformed(setInt32(vector(name), 44, value))).toMatch(/negative round/);
    }
  });

  test.each([PRE, ATT])('%s: level and round are read at 40 and 44; the slot is any value', (name) => {
    const bytes = setInt32(setInt32(vector(name), 40, 123456), 44, 7);
    bytes[38] = 0xff;
    bytes[39] = 0xff;
    expect(parse(bytes)).toMatchObject({ level: 123456, round: 7 });
  });
});

describe('DAL bitsets (tag 23): a non-negative, canonical Zarith integer ending the payload', () => {
  const base = () => vector(DAL0).subarray(0, 80);
  const dal = (tail: string) => cat(base(), tail);

  test('well-formed bitsets parse', () => {
    for (const tail of ['00', '01', '3f', '8001', '8210', 'bf7f', 'bf' + 'ff'.repeat(62) + '01']) {
      expect(parse(dal(tail)), tail).toMatchObject({ kind: 'attestation', tag: 23, level: 34, round: 4 });
    }
  });

  test('the constructed vectors carry 0 and 1026', () => {
    expect(toHex(vector(DAL0).subarray(80))).toBe('00');
    expect(toHex(vector('constructed/C3-with-dal-1026').subarray(80))).toBe('8210'); // 2 + (16 << 6)
  });

  test('negative bitsets are refused', () => {
    for (const tail of ['40', '41', '7f', 'c201', 'c08001']) expect(malformed(dal(tail)), tail).toMatch(/negative/);
  });

  test('non-canonical bitsets (a trailing zero byte) are refused', () => {
    for (const tail of ['8000', '8200', '808000', 'bf8000']) expect(malformed(dal(tail)), tail).toMatch(/canonical/);
  });

  test('truncated bitsets are refused', () => {
    for (const tail of ['80', '82', 'bf', '8282', 'bf' + 'ff'.repeat(9)]) expect(malformed(dal(tail)), tail).toMatch(/truncated/);
  });

  test('a missing bitset or bytes after it are refused', () => {
    expect(malformed(base())).toMatch(/no DAL bitset/);
    expect(malformed(dal('0000'))).toMatch(/trailing/);
    expect(malformed(dal('821000'))).toMatch(/trailing/);
  });

  // Ushuaia packs several lags in one bitset: mainnet's largest is 133 bytes (test/unit/ushuaia-dal.test.ts
  // has the vectors and every edge). The bound is 3,690 bits: 528 bytes of Zarith.
  test('beyond 64 bytes is signed now; past 3,690 bits is refused, naming the bound', () => {
    expect(parse(dal('bf' + 'ff'.repeat(63) + '01'))).toMatchObject({ tag: 23 });
    expect(parse(dal('bf' + 'ff'.repeat(526) + '03'))).toMatchObject({ tag: 23 }); // 6 + 7 * 526 + 2 bits
    expect(malformed(dal('bf' + 'ff'.repeat(526) + '04'))).toMatch(/DAL bitset of 3691 bits is past this signer's bound of 3690 bits/);
    expect(malformed(dal('bf' + 'ff'.repeat(600) + '01'))).toMatch(/bound of 3690 bits/);
  });

  test('tag 21 with a bitset appended is refused', () => {
    expect(malformed(cat(vector(ATT), '00'))).toMatch(/trailing/);
  });
});
