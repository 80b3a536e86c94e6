// Consensus payloads at any chain, level and round, made from the real vectors so that every byte
// other than the ones changed is what a baker sends.
import vectors from '../fixtures/consensus-operations.json' with { type: 'json' };
import { fromHex, toHex } from '../../lambda/src/bytes.js';

export type Kind = 'block' | 'preattestation' | 'attestation';

const TEMPLATES: Record<Kind, string> = {
  block: vectors.vectors['signatory-integration/C1'].hex,
  preattestation: vectors.vectors['signatory-integration/C2'].hex,
  attestation: vectors.vectors['signatory-integration/C3'].hex,
};

export interface PayloadSpec {
  kind: Kind;
  chainId: Uint8Array;
  level: number;
  round: number;
  /** Changes the payload hash: same (level, round), other bytes. */
  variant?: number;
}

function setInt32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setInt32(offset, value, false);
}

export function payload(spec: PayloadSpec): Uint8Array {
  const bytes = fromHex(TEMPLATES[spec.kind]);
  bytes.set(spec.chainId, 1);
  const variant = spec.variant ?? 0;
  if (spec.kind === 'block') {
    // C1: 33-byte fitness at 87; level element at 87+5+4, round at the end of the fitness.
    setInt32(bytes, 5, spec.level);
    setInt32(bytes, 87 + 9, spec.level);
    setInt32(bytes, 87 + 33 - 4, spec.round);
    setInt32(bytes, 87 + 33 + 64, 0); // payload round 0 is valid at any round
    setInt32(bytes, 87 + 33 + 32, variant); // first bytes of the payload hash
  } else {
    setInt32(bytes, 40, spec.level);
    setInt32(bytes, 44, spec.round);
    setInt32(bytes, 48, variant);
  }
  return bytes;
}

export function payloadHex(spec: PayloadSpec): string {
  return toHex(payload(spec));
}

/** A fresh random chain id: a run on it starts from empty watermarks and touches no real chain. */
export function randomChainId(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(4));
}

/** A transfer-like generic operation (magic 0x03): what a compromised baker host would try to sign. */
export function transferHex(): string {
  return '03' + 'ab'.repeat(32) + '6c00' + 'cd'.repeat(40);
}
