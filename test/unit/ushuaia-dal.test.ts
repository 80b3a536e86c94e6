// Tag 23 as Ushuaia encodes it (issue 15): attestations with DAL at several lags, the largest content
// mainnet's parameters allow, and the edges of the signer's bound. The bytes are in
// test/fixtures/ushuaia-dal.json; each is rebuilt here from its description (test/support, written from
// the OCaml definition, nothing from lambda/src) and parsed by the signer.
import { describe, expect, test } from 'vitest';
import fixture from '../fixtures/ushuaia-dal.json' with { type: 'json' };
import { toHex } from '../../lambda/src/bytes.js';
import { MalformedRequest, SignerError } from '../../lambda/src/errors.js';
import { CHECKED_PROTOCOL, DAL_MARGIN, MAINNET_DAL, MAX_DAL_BITSET_BITS, dalMaxBits, parseConsensusOperation } from '../../lambda/src/operation.js';
import { bitLength, decodeDalBitset, expectedMaxSizeInBits, zarithZ } from '../support/dal-bitset.js';
import { dalValue, ushuaiaAttestation, type DalSpec } from '../support/ushuaia-attestation.js';
import { cat, vector } from './helpers.js';

interface FixtureVector {
  about: string;
  slot: number;
  level: number;
  round: number;
  dal: DalSpec;
  expect: { kind?: string; tag?: number; level?: number; round?: number; status?: number; message?: string };
  bits: number;
  bitset_bytes: number;
  hex: string;
}

const VECTORS = fixture.vectors as Record<string, FixtureVector>;
const NAMES = Object.keys(VECTORS);
const MAINNET = { numberOfSlots: fixture.dal_parameters.number_of_slots, numberOfLags: fixture.dal_parameters.number_of_lags };
const bytesOf = (name: string) => Uint8Array.from(Buffer.from(VECTORS[name]!.hex, 'hex'));

function refusal(run: () => unknown): SignerError {
  try {
    run();
  } catch (error) {
    if (error instanceof SignerError) return error;
    throw error;
  }
  throw new Error('expected a refusal, the payload was accepted');
}

describe('the fixture is what its description builds', () => {
  test('it claims the protocol the parser was checked against, with its mainnet DAL parameters', () => {
    expect(fixture.protocol).toBe(CHECKED_PROTOCOL.octez);
    expect(MAINNET).toEqual(MAINNET_DAL);
    expect(NAMES.length).toBeGreaterThanOrEqual(7);
  });

  test.each(NAMES)('%s: hex, bit count and bitset length', (name) => {
    const v = VECTORS[name]!;
    const built = ushuaiaAttestation({ ...fixture.base, slot: v.slot, level: v.level, round: v.round, dal: v.dal }, MAINNET);
    expect(toHex(built.bytes)).toBe(v.hex);
    expect(built.bits).toBe(v.bits);
    expect(built.bitsetBytes).toBe(v.bitset_bytes);
    expect(built.bytes.length).toBe(80 + v.bitset_bytes);
  });

  test.each(NAMES.filter((n) => VECTORS[n]!.dal.lags))('%s: the protocol decodes its bitset back to the slots attested', (name) => {
    const dal = VECTORS[name]!.dal;
    const decoded = decodeDalBitset(dalValue(dal, MAINNET), MAINNET);
    const all = Array.from({ length: MAINNET.numberOfSlots }, (_, i) => i);
    const expected = Object.fromEntries(Object.entries(dal.lags!).map(([lag, slots]) => [lag, slots === 'all' ? all : [...slots].sort((a, b) => a - b)]));
    expect(decoded).toEqual(expected);
  });

  test('the Data_encoding.z writer: 6 value bits in the first byte, 7 in the next', () => {
    expect(toHex(zarithZ(0n))).toBe('00');
    expect(toHex(zarithZ(63n))).toBe('3f');
    expect(toHex(zarithZ(64n))).toBe('8001');
    expect(toHex(zarithZ(1026n))).toBe('8210'); // the shared vector constructed/C3-with-dal-1026
    expect(toHex(zarithZ((1n << 13n) - 1n))).toBe('bf7f');
    expect(toHex(zarithZ(1n << 13n))).toBe('808001');
  });
});

describe('the signer signs every Ushuaia DAL content a baker can send, and names its bound past it', () => {
  test.each(NAMES)('%s', (name) => {
    const v = VECTORS[name]!;
    if (v.expect.status !== undefined) {
      const e = refusal(() => parseConsensusOperation(bytesOf(name)));
      expect(e).toBeInstanceOf(MalformedRequest);
      expect(e.status).toBe(v.expect.status);
      expect(e.message).toContain(v.expect.message);
      return;
    }
    expect(parseConsensusOperation(bytesOf(name))).toMatchObject({ kind: v.expect.kind, tag: v.expect.tag, level: v.expect.level, round: v.expect.round });
  });

  test("the mainnet vectors fit Ushuaia's own size limit; the margin vectors do not", () => {
    const limit = expectedMaxSizeInBits(MAINNET);
    expect(limit).toBe(925);
    for (const name of ['ushuaia/dal-one-lag', 'ushuaia/dal-two-lags', 'ushuaia/dal-five-lags', 'ushuaia/dal-largest-mainnet']) {
      expect(VECTORS[name]!.bits, name).toBeLessThanOrEqual(limit);
    }
    for (const name of ['ushuaia/dal-past-mainnet', 'ushuaia/dal-at-bound', 'ushuaia/dal-past-bound']) expect(VECTORS[name]!.bits, name).toBeGreaterThan(limit);
  });

  test("the signer's bound is the protocol's formula at twice mainnet's slots and lags", () => {
    expect(dalMaxBits(160, 5)).toBe(expectedMaxSizeInBits({ numberOfSlots: 160, numberOfLags: 5 }));
    expect(DAL_MARGIN).toBe(2);
    expect(MAX_DAL_BITSET_BITS).toBe(expectedMaxSizeInBits({ numberOfSlots: 320, numberOfLags: 10 }));
    expect(MAX_DAL_BITSET_BITS).toBe(3690);
    // Tallinn's content (32 slots, one lag) and Ushuaia's fit with room.
    expect(expectedMaxSizeInBits({ numberOfSlots: 32, numberOfLags: 1 })).toBeLessThan(MAX_DAL_BITSET_BITS);
  });

  test('every bit count up to the bound is signed, one more is refused (each Zarith length, both ends)', () => {
    const head = vector('constructed/C3-with-dal-0').subarray(0, 80);
    for (let bits = 0; bits <= MAX_DAL_BITSET_BITS + 8; bits++) {
      const values = bits === 0 ? [0n] : [(1n << BigInt(bits)) - 1n, 1n << BigInt(bits - 1)];
      for (const value of values) {
        expect(bitLength(value)).toBe(bits);
        const payload = cat(head, zarithZ(value));
        if (bits <= MAX_DAL_BITSET_BITS) {
          expect(parseConsensusOperation(payload).tag, `${bits} bits`).toBe(23);
        } else {
          expect(refusal(() => parseConsensusOperation(payload)).message, `${bits} bits`).toContain(`DAL bitset of ${bits} bits is past this signer's bound of 3690 bits`);
        }
      }
    }
  });

  test('the refusal says what mainnet needs and how the bound was chosen', () => {
    const message = refusal(() => parseConsensusOperation(bytesOf('ushuaia/dal-past-bound'))).message;
    expect(message).toBe(
      "DAL bitset of 3691 bits is past this signer's bound of 3690 bits (Ushuaia mainnet allows 925: 160 slots, 5 lags; the bound allows 2 times each)",
    );
  });
});

describe('the shared DAL vectors under Ushuaia', () => {
  test('1026 was a Tallinn bitset (slots 1 and 10) and is no valid Ushuaia content; the signer checks the encoding only', () => {
    expect(() => decodeDalBitset(1026n, MAINNET)).toThrow(/Dal_invalid_attestation_bitset/);
    expect(decodeDalBitset(0n, MAINNET)).toEqual({});
    expect(parseConsensusOperation(vector('constructed/C3-with-dal-1026')).tag).toBe(23);
  });
});
