// The consensus parser: every shared vector, and every way a payload must be refused.
import { describe, expect, test } from 'vitest';
import vectors from '../fixtures/consensus-operations.json' with { type: 'json' };
import { encodeChainId } from '../../lambda/src/base58.js';
import { concatBytes, fromHex } from '../../lambda/src/bytes.js';
import { MalformedRequest, PolicyRefusal } from '../../lambda/src/errors.js';
import { parseConsensusOperation } from '../../lambda/src/operation.js';

const all = Object.entries(vectors.vectors);
const hex = (name: keyof typeof vectors.vectors) => fromHex(vectors.vectors[name].hex);

function setInt32(bytes: Uint8Array, offset: number, value: number) {
  new DataView(bytes.buffer, bytes.byteOffset).setInt32(offset, value, false);
}

/** C1 with a locked round: a 37-byte fitness, the round still its last element. */
function withLockedRound(locked: number): Uint8Array {
  const block = hex('signatory-integration/C1');
  const fitness = 87;
  // version(5) level(8) locked round: 00000000 -> 00000004 <locked>
  const at = fitness + 5 + 8;
  const out = concatBytes(block.subarray(0, at), fromHex('00000004'), new Uint8Array(4), block.subarray(at + 4));
  setInt32(out, at + 4, locked);
  setInt32(out, 83, 37);
  return out;
}

describe('every shared vector', () => {
  test.each(all)('%s', (_name, v) => {
    const op = parseConsensusOperation(fromHex(v.hex));
    expect(op.kind).toBe(v.kind);
    expect(op.level).toBe(v.level);
    expect(op.round).toBe(v.round);
    expect(encodeChainId(op.chainId)).toBe(encodeChainId(fromHex(v.chain_id_hex)));
    expect(op.tag).toBe('tag' in v ? v.tag : undefined);
  });
});

describe('refused by policy (403) before anything else', () => {
  test('every magic byte but 0x11, 0x12, 0x13', () => {
    const body = hex('signatory-integration/C3').subarray(1);
    for (let magic = 0; magic < 256; magic++) {
      if (magic >= 0x11 && magic <= 0x13) continue;
      const attempt = () => parseConsensusOperation(concatBytes(Uint8Array.of(magic), body));
      expect(attempt).toThrow(PolicyRefusal);
    }
    expect(() => parseConsensusOperation(fromHex('03' + 'ab'.repeat(40)))).toThrow(/transfer \(0x03\).*not a consensus operation/);
  });

  test('operation tags other than 20 under 0x12 and 21/23 under 0x13 (tz4 40/41, aggregates 30/31)', () => {
    for (const [name, magic] of [['signatory-integration/C2', 0x12], ['signatory-integration/C3', 0x13]] as const) {
      for (let tag = 0; tag < 256; tag++) {
        const ok = magic === 0x12 ? [20] : [21, 23];
        if (ok.includes(tag)) continue;
        const bytes = hex(name);
        bytes[37] = tag;
        expect(() => parseConsensusOperation(bytes)).toThrow(PolicyRefusal);
      }
    }
    const bls = hex('signatory-integration/C3');
    bls[37] = 41;
    expect(() => parseConsensusOperation(bls)).toThrow(/BLS attestation \(tag 41, tz4 only\)/);
  });
});

describe('malformed (400)', () => {
  test.each(all)('%s truncated at every length, and with one byte more', (_name, v) => {
    const bytes = fromHex(v.hex);
    for (let length = 0; length < bytes.length; length++) {
      expect(() => parseConsensusOperation(bytes.subarray(0, length))).toThrow(MalformedRequest);
    }
    expect(() => parseConsensusOperation(concatBytes(bytes, Uint8Array.of(0)))).toThrow(MalformedRequest);
  });

  test('fitness lengths other than 33 and 37, or inconsistent with its elements', () => {
    for (const length of [0, 1, 32, 34, 36, 38, -1, 0x7fffffff]) {
      const bytes = hex('signatory-integration/C1');
      setInt32(bytes, 83, length);
      expect(() => parseConsensusOperation(bytes)).toThrow(MalformedRequest);
    }
    // A 33-byte fitness whose locked round claims 4 bytes: the elements no longer add up.
    const bytes = hex('signatory-integration/C1');
    setInt32(bytes, 87 + 13, 4);
    expect(() => parseConsensusOperation(bytes)).toThrow(MalformedRequest);
  });

  test('fitness version other than 2, fitness level other than the header level', () => {
    const version = hex('signatory-integration/C1');
    version[87 + 4] = 1;
    expect(() => parseConsensusOperation(version)).toThrow(/version/);
    const level = hex('signatory-integration/C1');
    setInt32(level, 87 + 9, 35);
    expect(() => parseConsensusOperation(level)).toThrow(/fitness level differs/);
  });

  test('negative levels and rounds', () => {
    const block = hex('signatory-integration/C1');
    setInt32(block, 5, -34);
    setInt32(block, 87 + 9, -34);
    expect(() => parseConsensusOperation(block)).toThrow(/negative level/);
    const blockRound = hex('signatory-integration/C1');
    setInt32(blockRound, 87 + 29, -2);
    expect(() => parseConsensusOperation(blockRound)).toThrow(MalformedRequest);
    for (const name of ['signatory-integration/C2', 'signatory-integration/C3'] as const) {
      const level = hex(name);
      setInt32(level, 40, -1);
      expect(() => parseConsensusOperation(level)).toThrow(/negative level/);
      const round = hex(name);
      setInt32(round, 44, -1);
      expect(() => parseConsensusOperation(round)).toThrow(/negative round/);
    }
  });

  test('payload round above the round', () => {
    const bytes = hex('signatory-integration/C1'); // round 4
    setInt32(bytes, 87 + 33 + 64, 5);
    expect(() => parseConsensusOperation(bytes)).toThrow(/payload round/);
  });

  test('DAL bitsets: negative, non-canonical, truncated, over-long', () => {
    const base = hex('constructed/C3-with-dal-0').subarray(0, 80);
    const dal = (tail: string) => parseConsensusOperation(concatBytes(base, fromHex(tail)));
    expect(dal('00').tag).toBe(23);
    expect(dal('8210').level).toBe(34);
    expect(() => dal('40')).toThrow(/negative/); // -0
    expect(() => dal('c201')).toThrow(/negative/);
    expect(() => dal('8200')).toThrow(/canonical/);
    expect(() => dal('82')).toThrow(/truncated/);
    expect(() => dal('8210' + '00')).toThrow(/trailing/);
    expect(() => dal('ff'.repeat(64) + '01')).toThrow(/too long/);
    expect(() => parseConsensusOperation(base.slice().fill(23, 37, 38))).toThrow(/no DAL bitset/);
  });
});

describe('block layouts', () => {
  test('a 37-byte fitness (locked round): the round is read from the end of the fitness', () => {
    const op = parseConsensusOperation(withLockedRound(3));
    expect(op).toMatchObject({ kind: 'block', level: 34, round: 4 });
  });

  test('a seed nonce hash present (0xff + 32 bytes)', () => {
    const block = hex('signatory-integration/C1');
    const at = 87 + 33 + 32 + 32 + 4 + 8;
    expect(block[at]).toBe(0);
    const withNonce = concatBytes(block.subarray(0, at), Uint8Array.of(0xff), new Uint8Array(32).fill(5), block.subarray(at + 1));
    expect(parseConsensusOperation(withNonce)).toMatchObject({ level: 34, round: 4 });
    const badTag = block.slice();
    badTag[at] = 1;
    expect(() => parseConsensusOperation(badTag)).toThrow(/seed nonce/);
  });
});
