// Stands in for @smithy/core's S3 endpoint customisations (bucket-name rules) in the Lambda bundle
// (scripts/lambda-trims.mjs): the endpoint middleware calls them only for a client whose serviceId is S3,
// and the signer's clients are KMS and DynamoDB.
export const resolveParamsForS3 = async (): Promise<never> => {
  throw new Error('S3 endpoint rules are not part of the Lambda bundle (lambda/src/trims/no-s3-endpoint-params.ts)');
};
