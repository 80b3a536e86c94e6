// The high watermark decision, pure. The I/O (a consistent read, a conditional write) lives in
// watermark-store.ts; the condition it writes under is the same rule, enforced by DynamoDB atomically.
import type { Kind } from './operation.js';

export interface Watermark {
  readonly level: number;
  readonly round: number;
  /** hex blake2b-256 of the payload signed at (level, round). */
  readonly digest: string;
  /** The signature released for that payload, returned again to an identical retry. */
  readonly signature: string;
}

export interface Position {
  readonly level: number;
  readonly round: number;
  readonly digest: string;
}

/**
 * The digest of an item written by an operator (`tezos-signer watermarks set`), not by a signature: no
 * payload hashes to it (a digest is hex), so no request is an identical retry of it.
 */
export const OPERATOR_DIGEST = 'operator-set';

export type Decision =
  | { readonly action: 'sign' }
  | { readonly action: 'repeat'; readonly signature: string }
  | { readonly action: 'refuse'; readonly message: string };

export function watermarkKey(pkh: string, chainId: string, kind: Kind): string {
  return `${pkh}#${chainId}#${kind}`;
}

export function describe(w: { level: number; round: number }): string {
  return `level ${w.level} round ${w.round}`;
}

/** Strictly above the stored (level, round): signable. */
export function isAbove(p: { level: number; round: number }, w: { level: number; round: number }): boolean {
  return p.level > w.level || (p.level === w.level && p.round > w.round);
}

export function decide(stored: Watermark | undefined, request: Position, kind: Kind): Decision {
  if (stored === undefined || isAbove(request, stored)) return { action: 'sign' };
  if (stored.digest === OPERATOR_DIGEST) {
    // Nothing was signed there: saying "a different payload was signed" would send the operator hunting
    // for a second baker that does not exist.
    return {
      action: 'refuse',
      message: `watermark: the ${kind} watermark was set by an operator (tezos-signer watermarks set) to ${describe(stored)}; only ${kind}s above it can be signed, and ${describe(request)} is not`,
    };
  }
  if (request.level === stored.level && request.round === stored.round) {
    if (request.digest === stored.digest) return { action: 'repeat', signature: stored.signature };
    return {
      action: 'refuse',
      message: `watermark: a different ${kind} was already signed at ${describe(stored)}; refusing to sign other bytes there`,
    };
  }
  return {
    action: 'refuse',
    message: `watermark: ${kind} at ${describe(request)} is not above the ${kind} watermark at ${describe(stored)}`,
  };
}
