// Stands in for @smithy/core's adaptive retry strategy (and its client-side rate limiter) in the Lambda
// bundle (scripts/lambda-trims.mjs). The signer's clients pin retryMode "standard" (lambda/src/index.ts): a
// signer retries a few times at once and then fails closed, never queues behind a rate limiter while the
// baker's slot passes; AWS_RETRY_MODE is not consulted.
export class AdaptiveRetryStrategy {
  constructor() {
    throw new Error('adaptive retry is not part of the Lambda bundle: the signer pins retryMode "standard" (lambda/src/trims/no-adaptive-retry.ts)');
  }
}
