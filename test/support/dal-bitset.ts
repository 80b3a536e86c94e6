// DAL content of an Ushuaia attestation (tag 23), built from the OCaml definition and nothing in
// lambda/src: octez src/proto_025_PsUshuai/lib_protocol/dal_attestations_repr.ml (the bitset layout:
// one prefix bit per lag, then per non-empty lag, in lag order, chunks of 1 is_last bit + 7 slot bits)
// and src/lib_base/bitset.ml (its wire encoding, Data_encoding.z, written as in
// data-encoding/src/binary_writer.ml `z`: first byte continuation | sign | 6 bits, then 7 bits a byte).
//
// Not Taquito: @taquito/local-forging 25.0.0 knows PsUshuai and tag 23, but forges `dal_attestation`
// with its unsigned Zarith codec (dist/lib/codec.js zarithEncoder: 7 value bits in the first byte too),
// which differs from Data_encoding.z for any bitset of 64 or more, so its bytes are not what octez
// signs.

const SLOTS_PER_CHUNK = 7;
const BITS_PER_CHUNK = SLOTS_PER_CHUNK + 1;

export interface DalParameters {
  readonly numberOfSlots: number;
  readonly numberOfLags: number;
}

/** Attested slots per lag index; a lag that is absent or empty is not encoded. */
export type LagSlots = Readonly<Record<number, readonly number[]>>;

/** The bitset `commit` would build attesting these slots at these lags (dal_attestations_repr.ml). */
export function dalBitset(lags: LagSlots, params: DalParameters): bigint {
  let bits = 0n;
  let offset = params.numberOfLags;
  for (let lag = 0; lag < params.numberOfLags; lag++) {
    const slots = lags[lag] ?? [];
    if (slots.length === 0) continue;
    for (const slot of slots) {
      if (!Number.isInteger(slot) || slot < 0 || slot >= params.numberOfSlots) throw new RangeError(`slot ${slot} out of 0..${params.numberOfSlots - 1}`);
    }
    bits |= 1n << BigInt(lag);
    const chunks = Math.floor(Math.max(...slots) / SLOTS_PER_CHUNK) + 1;
    bits |= 1n << BigInt(offset + (chunks - 1) * BITS_PER_CHUNK); // is_last of the last chunk
    for (const slot of slots) {
      const position = offset + Math.floor(slot / SLOTS_PER_CHUNK) * BITS_PER_CHUNK + 1 + (slot % SLOTS_PER_CHUNK);
      bits |= 1n << BigInt(position);
    }
    offset += chunks * BITS_PER_CHUNK;
  }
  for (const lag of Object.keys(lags).map(Number)) {
    if (lag < 0 || lag >= params.numberOfLags) throw new RangeError(`lag index ${lag} out of 0..${params.numberOfLags - 1}`);
  }
  return bits;
}

/** `decode` of dal_attestations_repr.ml: the slots per lag, or an error where the protocol has one. */
export function decodeDalBitset(bits: bigint, params: DalParameters): Record<number, number[]> {
  const has = (i: number) => ((bits >> BigInt(i)) & 1n) === 1n;
  const maxChunks = Math.ceil(params.numberOfSlots / SLOTS_PER_CHUNK);
  const out: Record<number, number[]> = {};
  let offset = params.numberOfLags;
  for (let lag = 0; lag < params.numberOfLags; lag++) {
    if (!has(lag)) continue;
    const slots: number[] = [];
    for (let chunk = 0; ; chunk++) {
      if (chunk >= maxChunks) throw new Error('Dal_invalid_attestation_bitset: no is_last within max_chunks');
      for (let bit = 1; bit <= SLOTS_PER_CHUNK; bit++) {
        const slot = chunk * SLOTS_PER_CHUNK + bit - 1;
        if (slot < params.numberOfSlots && has(offset + bit)) slots.push(slot);
      }
      const last = has(offset);
      offset += BITS_PER_CHUNK;
      if (last) break;
    }
    out[lag] = slots;
  }
  if (bitLength(bits) > offset) throw new Error('Dal_invalid_attestation_bitset: bits past the last lag');
  return out;
}

/** expected_max_size_in_bits of dal_attestations_repr.ml, written again here. */
export function expectedMaxSizeInBits(params: DalParameters): number {
  const maxChunks = Math.ceil(params.numberOfSlots / SLOTS_PER_CHUNK);
  return params.numberOfLags + params.numberOfLags * maxChunks * BITS_PER_CHUNK;
}

/** Z.numbits. */
export function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/** Data_encoding.z of a non-negative integer. */
export function zarithZ(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('non-negative only');
  const out: number[] = [];
  let rest = value >> 6n;
  out.push(Number(value & 0x3fn) | (rest > 0n ? 0x80 : 0));
  while (rest > 0n) {
    const next = rest >> 7n;
    out.push(Number(rest & 0x7fn) | (next > 0n ? 0x80 : 0));
    rest = next;
  }
  return Uint8Array.from(out);
}
