// Consensus payloads: the only bytes this signer will sign. Everything else is refused here, before
// any AWS call. The layouts are checked field by field and to the last byte: a payload that does not
// match a known consensus layout exactly is refused, so a protocol that changes a layout needs a signer
// update (the signer fails closed rather than guessing where the level and round are).
//
// Every protocol fact below cites the octez source it comes from (tezos/tezos-mirror; "proto" is
// src/proto_025_PsUshuai/lib_protocol). docs/protocols.md lists them per protocol.
import { readInt32, readUint16 } from './bytes.js';
import { MalformedRequest, PolicyRefusal } from './errors.js';

/**
 * The protocol these layouts were checked against, and the newest one this file cites: mainnet's
 * current protocol (Octez v25). The next one (src/proto_alpha when checked) has the same consensus
 * layouts. test/unit/protocol-currency.test.ts fails when a fixture claims another protocol or a
 * citation here names a newer one: a protocol upgrade is a change of this constant first.
 */
export const CHECKED_PROTOCOL = {
  number: 25,
  name: 'Ushuaia',
  hash: 'PsUshuai9QapM5TGj1JpuVGkdxz5GykdnEvS6Rh8SUVrARvZLCY',
  /** octez's directory name, as fixtures claim it: src/proto_025_PsUshuai. */
  octez: 'proto_025_PsUshuai',
} as const;

export type Kind = 'block' | 'preattestation' | 'attestation';

export interface ConsensusOperation {
  readonly kind: Kind;
  readonly chainId: Uint8Array;
  readonly level: number;
  readonly round: number;
  /** The operation tag for (pre)attestations (20, 21 or 23); undefined for blocks. */
  readonly tag: number | undefined;
}

/**
 * Watermarks: 0x11 block (proto/block_header_repr.ml, to_watermark), 0x12 preattestation and 0x13
 * attestation (proto/operation_repr.ml, to_watermark), each followed by the 4-byte chain id.
 */
export const MAGIC = { block: 0x11, preattestation: 0x12, attestation: 0x13 } as const;

/** proto/operation_repr.ml, Encoding: preattestation_case, attestation_case, attestation_with_dal_case. */
const TAG_PREATTESTATION = 20;
const TAG_ATTESTATION = 21;
const TAG_ATTESTATION_WITH_DAL = 23;

/**
 * Mainnet's DAL parameters in Ushuaia: 160 slots and attestation_lags [1; 2; 3; 4; 5], set by the
 * T024 -> U025 migration (proto/raw_context.ml, prepare_first_block) and equal to
 * src/proto_025_PsUshuai/lib_parameters/default_parameters.ml's default_dal. Tallinn had 32 slots and
 * one lag; the next protocol (proto_alpha) keeps 160 and five.
 */
export const MAINNET_DAL = { numberOfSlots: 160, numberOfLags: 5 } as const;

/**
 * The largest DAL content the protocol accepts, in bits (proto/dal_attestations_repr.ml,
 * expected_max_size_in_bits, checked by proto/dal_apply.ml validate_attestations): a prefix of one bit
 * per lag, then per non-empty lag chunks of 1 is_last bit + 7 slot bits, at most ceil(slots / 7) chunks.
 */
export function dalMaxBits(numberOfSlots: number, numberOfLags: number): number {
  return numberOfLags + numberOfLags * Math.ceil(numberOfSlots / 7) * 8;
}

/**
 * The bound this signer applies: the protocol's formula with twice mainnet's slots and twice its lags
 * (320 slots, 10 lags: 3,690 bits, 528 bytes of Zarith), so that a later protocol raising either does
 * not stop its bakers' attestations here. The bitset is not where the level and round are: a generous
 * bound costs no safety, a tight one costs rewards.
 */
export const DAL_MARGIN = 2;
export const MAX_DAL_BITSET_BITS = dalMaxBits(MAINNET_DAL.numberOfSlots * DAL_MARGIN, MAINNET_DAL.numberOfLags * DAL_MARGIN);

/**
 * Other watermarks: 0x01..0x03 src/lib_crypto/signature_v3.ml (bytes_of_watermark), 0x04
 * src/lib_signer_services/signer_messages.ml (authentication), 0x05 PACKed Michelson data
 * (proto/script_ir_translator.ml).
 */
const NAMES: Record<number, string> = {
  0x01: 'a legacy block (0x01)',
  0x02: 'a legacy endorsement (0x02)',
  0x03: 'a generic operation such as a transfer (0x03)',
  0x04: 'a remote-signer authentication request (0x04)',
  0x05: 'Michelson data (0x05)',
};

/** proto/operation_repr.ml: aggregates (30, 31) and the Bls_mode encoding a tz4 key signs (40, 41). */
const OTHER_TAGS: Record<number, string> = {
  30: 'preattestations aggregate (tag 30)',
  31: 'attestations aggregate (tag 31)',
  40: 'a BLS preattestation (tag 40, tz4 only)',
  41: 'a BLS attestation (tag 41, tz4 only)',
};

/** Parses a payload and returns its kind, chain, level and round; throws MalformedRequest or PolicyRefusal. */
export function parseConsensusOperation(payload: Uint8Array): ConsensusOperation {
  const magic = payload[0];
  if (magic === undefined) throw new MalformedRequest('empty payload');
  switch (magic) {
    case MAGIC.block:
      return parseBlock(payload);
    case MAGIC.preattestation:
    case MAGIC.attestation:
      return parseAttestation(payload, magic === MAGIC.preattestation ? 'preattestation' : 'attestation');
    default: {
      const name = NAMES[magic] ?? `magic byte 0x${magic.toString(16).padStart(2, '0')}`;
      throw new PolicyRefusal(`refused: ${name} is not a consensus operation; this signer signs only blocks (0x11), preattestations (0x12) and attestations (0x13)`);
    }
  }
}

function need(payload: Uint8Array, length: number, what: string): void {
  if (payload.length < length) {
    throw new MalformedRequest(`truncated ${what}: ${payload.length} bytes, at least ${length} expected`);
  }
}

function checkLevelRound(level: number, round: number, what: string): void {
  if (level < 0) throw new MalformedRequest(`${what} with negative level ${level}`);
  if (round < 0) throw new MalformedRequest(`${what} with negative round ${round}`);
}

/**
 * Block header as signed: magic(1) chain(4) | shell (src/lib_base/block_header.ml,
 * shell_header_encoding): level(4) proto(1) predecessor(32) timestamp(8) validation_pass(1)
 * operations_hash(32) fitness(4 + n) context(32) | protocol data (proto/block_header_repr.ml,
 * contents_encoding): payload_hash(32) payload_round(4) proof_of_work_nonce(8, proto/constants_repr.ml)
 * seed_nonce_hash(option: 0x00 | 0xff + 32) per_block_votes(1). octez's own signer reads the level at 5
 * and the round at the fitness's end too (src/bin_signer/handler.ml).
 */
const FITNESS_OFFSET = 83;

function parseBlock(payload: Uint8Array): ConsensusOperation {
  need(payload, FITNESS_OFFSET + 4, 'block header');
  const level = readInt32(payload, 5);
  const fitnessLength = readInt32(payload, FITNESS_OFFSET);
  const fitnessStart = FITNESS_OFFSET + 4;
  const fitnessEnd = fitnessStart + fitnessLength;
  if (fitnessLength !== 33 && fitnessLength !== 37) {
    throw new MalformedRequest(`block fitness of ${fitnessLength} bytes; a Tenderbake fitness is 33 or 37 bytes`);
  }
  need(payload, fitnessEnd, 'block fitness');
  const round = parseFitness(payload, fitnessStart, fitnessEnd, level);

  let offset = fitnessEnd + 32 + 32 + 4 + 8; // context, payload hash, payload round, proof-of-work nonce
  need(payload, offset + 1, 'block protocol data');
  const seedNonceTag = payload[offset];
  if (seedNonceTag === 0xff) offset += 33;
  else if (seedNonceTag === 0x00) offset += 1;
  else throw new MalformedRequest(`block seed nonce hash option tag 0x${seedNonceTag!.toString(16)}`);
  offset += 1; // per-block votes
  need(payload, offset, 'block protocol data');
  if (payload.length !== offset) {
    throw new MalformedRequest(`block header has ${payload.length - offset} trailing bytes`);
  }
  const payloadRound = readInt32(payload, fitnessEnd + 64);
  if (payloadRound < 0 || payloadRound > round) {
    throw new MalformedRequest(`block payload round ${payloadRound} is not within 0..${round}`);
  }
  checkLevelRound(level, round, 'block');
  return { kind: 'block', chainId: payload.slice(1, 5), level, round, tag: undefined };
}

/**
 * Fitness (proto/fitness_repr.ml, to_raw; version 2 is proto/constants_repr.ml fitness_version_number):
 * version (1 byte: 2), level (4), locked round (empty or 4), predecessor round (4), round (4), each
 * element length-prefixed. The round is the last element: found from the end, not a fixed offset.
 */
function parseFitness(payload: Uint8Array, start: number, end: number, level: number): number {
  let offset = start;
  const element = (what: string, allowed: readonly number[]): number => {
    if (offset + 4 > end) throw new MalformedRequest(`block fitness truncated before its ${what}`);
    const length = readInt32(payload, offset);
    if (!allowed.includes(length)) throw new MalformedRequest(`block fitness ${what} of ${length} bytes`);
    offset += 4 + length;
    if (offset > end) throw new MalformedRequest(`block fitness ${what} runs past the fitness`);
    return length;
  };
  element('version', [1]);
  if (payload[start + 4] !== 0x02) throw new MalformedRequest(`block fitness version ${payload[start + 4]}; Tenderbake is 2`);
  element('level', [4]);
  if (readInt32(payload, offset - 4) !== level) throw new MalformedRequest('block fitness level differs from the header level');
  const lockedLength = element('locked round', [0, 4]);
  const locked = lockedLength === 4 ? readInt32(payload, offset - 4) : undefined;
  element('predecessor round', [4]);
  const encodedPredecessor = readInt32(payload, offset - 4);
  element('round', [4]);
  if (offset !== end) throw new MalformedRequest('block fitness length is inconsistent with its elements');
  const round = readInt32(payload, end - 4);
  checkFitnessRounds(locked, encodedPredecessor, round);
  return round;
}

/**
 * The round rules of Tezos' Fitness_repr.from_raw (same file):
 * `locked_round_of_bytes` reads a 4-byte locked round with `Round_repr.of_int32`, which refuses a
 * negative round; `create` refuses a locked round not below the round
 * (`Locked_round_not_less_than_round`); `predecessor_round_of_bytes` stores the predecessor round as
 * `-round - 1` and refuses what decodes to a negative round, i.e. any encoded value >= 0. A block the
 * protocol would refuse is refused here too (fail closed). The round itself is checked with the level.
 */
function checkFitnessRounds(locked: number | undefined, encodedPredecessor: number, round: number): void {
  if (locked !== undefined) {
    if (locked < 0) throw new MalformedRequest(`block fitness with negative locked round ${locked}`);
    if (round >= 0 && locked >= round) throw new MalformedRequest(`block fitness locked round ${locked} is not below the round ${round}`);
  }
  // Int32.pred (Int32.neg x) wraps for x = -2^31 (to 2^31 - 1): every negative x decodes to a round >= 0.
  if (encodedPredecessor >= 0) throw new MalformedRequest(`block fitness predecessor round field ${encodedPredecessor} encodes a negative round`);
}

/**
 * (Pre)attestation: magic(1) chain(4) branch(32, src/lib_base/operation.ml shell_header_encoding) tag(1)
 * slot(2) level(4) round(4) payload_hash(32) (proto/operation_repr.ml, consensus_content_encoding),
 * then for tag 23 the DAL content (consensus_content_with_dal_encoding): one Bitset, whose encoding is
 * Data_encoding.z (src/lib_base/bitset.ml), a signed Zarith integer.
 */
const ATTESTATION_LENGTH = 80;

function parseAttestation(payload: Uint8Array, kind: 'preattestation' | 'attestation'): ConsensusOperation {
  need(payload, 38, kind);
  const tag = payload[37]!;
  const expected = kind === 'preattestation' ? [TAG_PREATTESTATION] : [TAG_ATTESTATION, TAG_ATTESTATION_WITH_DAL];
  if (!expected.includes(tag)) {
    const name = OTHER_TAGS[tag] ?? `operation tag ${tag}`;
    throw new PolicyRefusal(`refused: ${name} under the ${kind} magic byte; expected tag ${expected.join(' or ')}`);
  }
  need(payload, ATTESTATION_LENGTH, kind);
  readUint16(payload, 38); // slot: any value
  const level = readInt32(payload, 40);
  const round = readInt32(payload, 44);
  if (tag === TAG_ATTESTATION_WITH_DAL) {
    checkZarithBitset(payload, ATTESTATION_LENGTH);
  } else if (payload.length !== ATTESTATION_LENGTH) {
    throw new MalformedRequest(`${kind} has ${payload.length - ATTESTATION_LENGTH} trailing bytes`);
  }
  checkLevelRound(level, round, kind);
  return { kind, chainId: payload.slice(1, 5), level, round, tag };
}

/**
 * A non-negative Zarith integer (Data_encoding.z: the first byte holds a continuation bit, the sign bit
 * and 6 value bits, each next byte a continuation bit and 7), canonical (no trailing zero byte), ending
 * exactly at the payload end, of at most MAX_DAL_BITSET_BITS bits. Its inner structure (lags, chunks)
 * is the protocol's to check: it depends on parameters, and the level and round are before it.
 */
function checkZarithBitset(payload: Uint8Array, start: number): void {
  if (payload.length <= start) throw new MalformedRequest('attestation with DAL has no DAL bitset');
  if (payload[start]! & 0x40) throw new MalformedRequest('DAL bitset is negative');
  let i = start;
  while (payload[i]! & 0x80) {
    i++;
    if (i >= payload.length) throw new MalformedRequest('DAL bitset truncated');
  }
  if (i !== payload.length - 1) throw new MalformedRequest('attestation with DAL has trailing bytes after the bitset');
  if (i > start && payload[i] === 0) throw new MalformedRequest('DAL bitset is not canonically encoded');
  const bits = zarithBits(payload, start, i);
  if (bits > MAX_DAL_BITSET_BITS) {
    throw new MalformedRequest(
      `DAL bitset of ${bits} bits is past this signer's bound of ${MAX_DAL_BITSET_BITS} bits ` +
        `(${CHECKED_PROTOCOL.name} mainnet allows ${dalMaxBits(MAINNET_DAL.numberOfSlots, MAINNET_DAL.numberOfLags)}: ` +
        `${MAINNET_DAL.numberOfSlots} slots, ${MAINNET_DAL.numberOfLags} lags; the bound allows ${DAL_MARGIN} times each)`,
    );
  }
}

/** Bits of a canonical non-negative Zarith integer in payload[start..last] (Z.numbits of its value). */
function zarithBits(payload: Uint8Array, start: number, last: number): number {
  if (last === start) return bitLength(payload[start]! & 0x3f);
  return 6 + 7 * (last - start - 1) + bitLength(payload[last]! & 0x7f);
}

function bitLength(byte: number): number {
  return byte === 0 ? 0 : 32 - Math.clz32(byte);
}
