// Stands in for @smithy/signature-v4's HeaderFormatter in the Lambda bundle (scripts/lambda-trims.mjs):
// it encodes event-stream message headers for SignatureV4.signMessage, and no KMS or DynamoDB operation the
// signer calls streams events (see no-event-streams.ts). Every SignatureV4 makes one, so only using it fails.
export class HeaderFormatter {
  format(): never {
    throw new Error('event-stream signing is not part of the Lambda bundle (lambda/src/trims/no-event-header-formatter.ts)');
  }
}
