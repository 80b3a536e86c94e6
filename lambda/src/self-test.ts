// The self-test position: what `tezos-signer check` signs to prove that a deployment can sign, through
// the very path a baker's request takes (authentication, the watermark read, KMS Sign, the conditional
// write), without ever moving a watermark a baker could need.
//
// It is an attestation at level 0 of the chain id 0x00000000, at a round that grows with time:
// - no chain can use the signature: the chain id is part of the signed bytes, and a chain's id is the
//   first 4 bytes of the hash of its genesis block (octez `Chain_id.of_block_hash`), so 0x00000000 names
//   no network the signer is configured for, and with odds of 2^-32 any network at all;
// - even on such a chain it attests nothing: the genesis block is level 0, and a Tenderbake attestation
//   at level L attests the block at level L, which is never proposed for the genesis;
// - its watermark item is its own (pk = "<pkh>#<that chain>#attestation"): no baker's item is read or
//   written, so no baker's position is opened or closed by it.
// The chain allow-list lets it through, and nothing else: any other level, kind or chain still meets
// the allow-list. Each check raises the self-test item's round (Unix seconds), so that every check makes
// a real KMS Sign and a real conditional write instead of being answered from the stored signature.
import type { ConsensusOperation } from './operation.js';

export const SELF_TEST_CHAIN_ID = new Uint8Array(4);

const ATTESTATION_MAGIC = 0x13;
const TAG_ATTESTATION = 21;

/** Whether a parsed operation is the self-test position (and so may pass the chain allow-list). */
export function isSelfTest(op: ConsensusOperation): boolean {
  return op.kind === 'attestation' && op.tag === TAG_ATTESTATION && op.level === 0 && op.chainId.length === 4 && op.chainId.every((b) => b === 0);
}

/**
 * The self-test payload at `round`: magic 0x13, chain 0x00000000, a zero branch, tag 21, slot 0,
 * level 0, the round, a zero payload hash (80 bytes, the attestation layout of operation.ts).
 */
export function selfTestPayload(round: number): Uint8Array {
  if (!Number.isInteger(round) || round < 0 || round > 0x7fffffff) throw new RangeError(`self-test round ${round} is not an int32 >= 0`);
  const payload = new Uint8Array(80);
  payload[0] = ATTESTATION_MAGIC;
  payload[37] = TAG_ATTESTATION;
  new DataView(payload.buffer).setInt32(44, round);
  return payload;
}
