// Stands in for @smithy/core/event-streams in the Lambda bundle: no KMS or DynamoDB operation the
// signer calls streams events, and the SDK loads this module only for an operation that does (15 KB of
// bundle, parsed at every cold start). scripts/build.mjs aliases it.
const unavailable = (): never => {
  throw new Error('event streams are not part of the Lambda bundle (lambda/src/trims/no-event-streams.ts)');
};

export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}

export const eventStreamSerdeProvider = unavailable;
