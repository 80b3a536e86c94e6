// `serve` on real AWS: the Lambda bundle reads credentials and settings from environment variables only
// (what Lambda gives it; lambda/src/env-credentials.ts, scripts/lambda-trims.mjs), so `serve` resolves
// them with the SDK's full default chain (profiles, SSO, assumed roles, ~/.aws/config, instance metadata)
// and hands them over the same way, refreshing temporary credentials before they expire.
import { KMSClient } from '@aws-sdk/client-kms';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** The environment variables the bundle reads, for these credentials. */
export function credentialEnv(c: Credentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_SESSION_TOKEN: c.sessionToken ?? '',
    AWS_CREDENTIAL_EXPIRATION: c.expiration?.toISOString() ?? '',
  };
}

/** Resolves credentials with the SDK's default chain (the CLI's unbundled client has all of it). */
export async function resolveCredentials(region: string | undefined): Promise<Credentials> {
  const client = new KMSClient(region ? { region } : {});
  try {
    return await client.config.credentials();
  } finally {
    client.destroy();
  }
}

/**
 * A long-lived credential source (for `failover --sign-sigv4`): the SDK's default chain, environment
 * variables first, whose provider caches the credentials and refreshes temporary ones before expiry.
 */
export function credentialSource(region: string | undefined): { get: () => Promise<Credentials>; close: () => void } {
  const client = new KMSClient(region ? { region } : {});
  return { get: () => client.config.credentials(), close: () => client.destroy() };
}

/**
 * The client settings the bundle would otherwise have read from ~/.aws/config or the instance metadata
 * service, which it leaves out: the region, and whether to use FIPS or dual-stack endpoints.
 */
export async function resolveSettings(region: string | undefined): Promise<Record<string, string>> {
  const client = new KMSClient(region ? { region } : {});
  try {
    const resolved = await client.config.region().catch(() => {
      throw new Error('no AWS region: pass --region, set AWS_REGION, or give the profile a region');
    });
    return {
      AWS_REGION: resolved,
      AWS_USE_FIPS_ENDPOINT: String(await client.config.useFipsEndpoint()),
      AWS_USE_DUALSTACK_ENDPOINT: String(await client.config.useDualstackEndpoint()),
    };
  } finally {
    client.destroy();
  }
}

/** Milliseconds until a refresh: ten minutes before expiry (the SDK asks again five minutes before). */
export function refreshDelay(expiration: Date | undefined, now: number): number | undefined {
  if (expiration === undefined) return undefined;
  return Math.max(expiration.getTime() - now - 10 * 60_000, 30_000);
}

/**
 * Puts credentials in process.env now and again before each expiry; returns a stop function. A failed
 * refresh is retried in a minute: the old credentials stay until they expire, then AWS calls fail closed.
 */
export async function provideCredentials(region: string | undefined, resolve = resolveCredentials): Promise<() => void> {
  let timer: NodeJS.Timeout | undefined;
  const apply = (c: Credentials) => {
    Object.assign(process.env, credentialEnv(c));
    const delay = refreshDelay(c.expiration, Date.now());
    if (delay !== undefined) timer = setTimeout(refresh, delay).unref();
  };
  const refresh = () => {
    resolve(region).then(apply, () => {
      timer = setTimeout(refresh, 60_000).unref();
    });
  };
  apply(await resolve(region));
  return () => clearTimeout(timer);
}
