// What a failed DynamoDB call says about the conditional write that admits a signature. Only two
// answers are definitive: success (recorded) and ConditionalCheckFailedException (not recorded, and the
// stored item decides). Everything else is fail-closed: the signature is dropped and the request gets a
// 503 (watermark-store.ts); a failed strongly consistent read is a 503 before any signature exists.
//
// Multi-Region strong consistency (MRSC) global tables add, per the DynamoDB API reference:
// - ReplicatedWriteConflictException on PutItem, "The request was rejected because one or more items in
//   the request are being modified by a request in another Region" (a client fault, safe to retry:
//   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#API_PutItem_Errors and
//   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html,
//   section "Multi-Region strong consistency"). Rejected: not applied by that attempt.
// - A replica cut off from its region set cannot complete a strongly consistent read or a write: it
//   needs another region of the set to acknowledge. The pages we could read do not name one error code
//   for that case (docs/failover.md, "What MRSC adds"); it arrives as a server error or a timeout, so it
//   is taken by the rule for unknown errors: a write that may have applied.
// A rejection on the first attempt was not applied, but the SDK retries (maxAttempts 3): a rejection
// on a later attempt says nothing about an earlier attempt that timed out after DynamoDB applied it. The
// signer does not tell these apart: every failed write, whatever its error, is answered as one that may
// have been recorded, and an identical retry, in this region or another, finds it stored if it was
// (test/unit/watermark.test.ts runs each error named here).

export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.message.slice(0, 200) : error.name;
  return 'unknown error';
}
