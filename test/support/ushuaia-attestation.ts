// Ushuaia attestations with DAL (tag 23) as a baker sends them to its signer, built field by field from
// octez src/proto_025_PsUshuai/lib_protocol/operation_repr.ml (consensus_content_with_dal_encoding)
// and the DAL bitset of ./dal-bitset.ts. test/fixtures/ushuaia-dal.json holds the bytes; the tests
// rebuild each one from its description here, so the fixture cannot drift from its definition.
import { bitLength, dalBitset, zarithZ, type DalParameters, type LagSlots } from './dal-bitset.js';

export interface DalSpec {
  /** Attested slots per lag index, as a baker's DAL node reports them; "all" for every slot. */
  readonly lags?: Readonly<Record<string, readonly number[] | 'all'>>;
  /** Or a raw value, `2^N` or `2^N-1`, for the edges of the bound. */
  readonly value?: string;
}

export interface UshuaiaSpec {
  readonly chain_id_hex: string;
  readonly branch_hex: string;
  readonly block_payload_hash_hex: string;
  readonly slot: number;
  readonly level: number;
  readonly round: number;
  readonly dal: DalSpec;
}

export function dalValue(dal: DalSpec, params: DalParameters): bigint {
  if (dal.lags) {
    const lags: Record<number, readonly number[]> = {};
    for (const [lag, slots] of Object.entries(dal.lags)) lags[Number(lag)] = slots === 'all' ? Array.from({ length: params.numberOfSlots }, (_, i) => i) : slots;
    return dalBitset(lags as LagSlots, params);
  }
  const m = /^2\^(\d+)(-1)?$/.exec(dal.value ?? '');
  if (!m) throw new Error(`DAL value ${dal.value}: expected lags, 2^N or 2^N-1`);
  const power = 1n << BigInt(m[1]!);
  return m[2] ? power - 1n : power;
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function i32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

/** magic 0x13 | chain id | branch | tag 23 | slot | level | round | payload hash | Data_encoding.z bitset. */
export function ushuaiaAttestation(spec: UshuaiaSpec, params: DalParameters): { bytes: Uint8Array; bits: number; bitsetBytes: number } {
  const value = dalValue(spec.dal, params);
  const bitset = zarithZ(value);
  const bytes = Buffer.concat([
    Buffer.from([0x13]),
    Buffer.from(spec.chain_id_hex, 'hex'),
    Buffer.from(spec.branch_hex, 'hex'),
    Buffer.from([23]),
    u16(spec.slot),
    i32(spec.level),
    i32(spec.round),
    Buffer.from(spec.block_payload_hash_hex, 'hex'),
    bitset,
  ]);
  return { bytes: Uint8Array.from(bytes), bits: bitLength(value), bitsetBytes: bitset.length };
}
