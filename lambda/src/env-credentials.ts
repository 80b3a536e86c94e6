// Stands in for @aws-sdk/credential-provider-node (the SDK's whole default chain: profiles, SSO, STS,
// web identity, IMDS, ...) in the Lambda bundle only, where Lambda gives the function its role's
// credentials in these environment variables: the chain is a fifth of the bundle and its parse time is
// cold-start time. `tezos-signer serve` on real AWS resolves credentials with the full chain and hands
// them to the handler the same way (cli/aws-credentials.ts). scripts/build.mjs aliases it.

export interface EnvCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When set, the SDK asks again shortly before: `serve` refreshes the variables ahead of it. */
  readonly expiration?: Date;
}

export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): EnvCredentials {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) {
    throw Object.assign(new Error('no AWS credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'), { name: 'CredentialsProviderError' });
  }
  const sessionToken = env['AWS_SESSION_TOKEN'] || undefined;
  const expiry = env['AWS_CREDENTIAL_EXPIRATION'];
  const expiration = expiry ? new Date(expiry) : undefined;
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    ...(expiration !== undefined && !Number.isNaN(expiration.getTime()) ? { expiration } : {}),
  };
}

/** The export the SDK clients' runtime configuration imports from @aws-sdk/credential-provider-node. */
export const defaultProvider = (): (() => Promise<EnvCredentials>) => async () => credentialsFromEnv();
