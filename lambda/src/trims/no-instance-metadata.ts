// Stands in for @smithy/core's region lookup in the EC2 instance metadata service, in the Lambda bundle
// (scripts/lambda-trims.mjs). Lambda has no such service and sets AWS_REGION, which the SDK reads first; a
// host without a region gets the SDK's own "Region is missing", as it would after the lookup failed.
export const getInstanceMetadataRegion = async (): Promise<string | undefined> => undefined;
