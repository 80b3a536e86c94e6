// A signer deployed in several regions is safe only if every region's conditional write is decided by
// one linearizable store: a DynamoDB global table in multi-Region strong consistency (MRSC). With
// SIGNER_MULTI_REGION=true the signer checks that, once, before its first watermark read or write, and
// refuses to sign otherwise. A table that is regional, or a global table in eventual consistency
// (MREC, last writer wins), would let two regions each admit a signature at one position: that is the
// "silent fallback to a regional watermark" this module makes impossible.
import { InternalError, UpstreamFailure } from './errors.js';
import { errorName } from './dynamo-errors.js';
import type { WatermarkStore } from './watermark-store.js';

/** The DescribeTable field the check reads (DynamoDB API, TableDescription). */
export interface TableFacts {
  /** `STRONG` for MRSC; `EVENTUAL` or absent otherwise. */
  readonly MultiRegionConsistency?: string | undefined;
}

export type DescribeTable = (tableName: string) => Promise<TableFacts | undefined>;

/** Why this table cannot back a multi-region signer, or undefined when it can. */
export function multiRegionProblem(tableName: string, facts: TableFacts | undefined): string | undefined {
  const mode = facts?.MultiRegionConsistency;
  return mode === 'STRONG' ? undefined : `table ${tableName} is not MRSC (MultiRegionConsistency ${mode ?? 'absent'})`;
}

/**
 * The watermark store, opened only once the table is known to be MRSC. Concurrent requests share one
 * DescribeTable; only a positive answer is kept, so a table fixed (or a transient failure gone) is seen
 * at the next request.
 */
export function multiRegionGuard(inner: WatermarkStore, tableName: string, describe: DescribeTable): WatermarkStore {
  let verified: Promise<void> | undefined;
  const check = () =>
    (verified ??= verify(tableName, describe).catch((error: unknown) => {
      verified = undefined;
      throw error;
    }));
  return {
    read: async (key) => (await check(), inner.read(key)),
    advance: async (key, next, scope) => (await check(), inner.advance(key, next, scope)),
  };
}

async function verify(tableName: string, describe: DescribeTable): Promise<void> {
  let facts: TableFacts | undefined;
  try {
    facts = await describe(tableName);
  } catch (error) {
    throw new UpstreamFailure(`DynamoDB DescribeTable failed: ${errorName(error)}; nothing was signed`);
  }
  const problem = multiRegionProblem(tableName, facts);
  if (problem !== undefined) throw new InternalError(`SIGNER_MULTI_REGION=true but ${problem}: refusing to sign on a regional watermark`);
}
