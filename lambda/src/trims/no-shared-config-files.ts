// Stands in for @smithy/core's reader of the shared AWS config and credentials files (~/.aws/config,
// ~/.aws/credentials) in the Lambda bundle (scripts/lambda-trims.mjs). A function has neither file: Lambda
// configures it through environment variables, which the SDK reads first and which alone configure the
// signer, as they alone give its credentials (env-credentials.ts). The bundle run on a workstation is
// then configured the same way as in Lambda, whatever that workstation's ~/.aws holds.
export const CONFIG_PREFIX_SEPARATOR = '.';

export const loadSharedConfigFiles = async (): Promise<{ configFile: Record<string, never>; credentialsFile: Record<string, never> }> => ({
  configFile: {},
  credentialsFile: {},
});
