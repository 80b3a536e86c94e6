// Credentials: the Lambda bundle reads them from the environment only (lambda/src/env-credentials.ts,
// aliased for @aws-sdk/credential-provider-node by scripts/build.mjs); `serve` on real AWS resolves them
// with the SDK's full chain and hands them over in the same variables (cli/aws-credentials.ts).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { credentialEnv, provideCredentials, refreshDelay, resolveSettings } from '../../cli/aws-credentials.js';
import { credentialsFromEnv, defaultProvider } from '../../lambda/src/env-credentials.js';

const NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_EC2_METADATA_DISABLED'];
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

describe('the bundle: credentials from the environment only', () => {
  test('keys, session token and expiration; empty variables count as absent', async () => {
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: '', AWS_CREDENTIAL_EXPIRATION: '' })).toEqual({ accessKeyId: 'AKID', secretAccessKey: 's' });
    const full = credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't', AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00.000Z' });
    expect(full).toEqual({ accessKeyId: 'AKID', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T00:00:00.000Z') });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'FROMENV', AWS_SECRET_ACCESS_KEY: 'x' });
    expect((await defaultProvider()()).accessKeyId).toBe('FROMENV');
  });

  test('none: a CredentialsProviderError, never an unsigned request', () => {
    expect(() => credentialsFromEnv({})).toThrow(/no AWS credentials/);
    expect(() => credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'AKID' })).toThrow(expect.objectContaining({ name: 'CredentialsProviderError' }));
  });
});

describe('serve: the full chain, handed over in the environment', () => {
  test('a profile in a shared credentials file ends up in the variables the bundle reads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'creds-'));
    await writeFile(join(dir, 'credentials'), '[serve-test]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = secret-from-profile\n');
    await writeFile(join(dir, 'config'), '[profile serve-test]\nregion = us-east-1\n');
    for (const n of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete process.env[n];
    Object.assign(process.env, { AWS_PROFILE: 'serve-test', AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') });
    const stop = await provideCredentials('us-east-1');
    stop();
    expect(credentialsFromEnv(process.env)).toEqual({ accessKeyId: 'AKIDFROMPROFILE', secretAccessKey: 'secret-from-profile' });
  });

  test('temporary credentials are refreshed before they expire', async () => {
    let calls = 0;
    const expiration = new Date(Date.now() + 60 * 60_000);
    const stop = await provideCredentials('us-east-1', async () => ({ accessKeyId: `AKID${++calls}`, secretAccessKey: 's', sessionToken: 't', expiration }));
    stop();
    expect(process.env['AWS_ACCESS_KEY_ID']).toBe('AKID1');
    expect(process.env['AWS_CREDENTIAL_EXPIRATION']).toBe(expiration.toISOString());
    expect(refreshDelay(expiration, expiration.getTime() - 60 * 60_000)).toBe(50 * 60_000);
    expect(refreshDelay(undefined, 0)).toBeUndefined();
    expect(refreshDelay(new Date(0), 0)).toBe(30_000);
    expect(credentialEnv({ accessKeyId: 'a', secretAccessKey: 'b' })).toEqual({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: '', AWS_CREDENTIAL_EXPIRATION: '' });
  });

  // The bundle reads no ~/.aws files and asks no instance metadata service (scripts/lambda-trims.mjs).
  describe('the settings the bundle reads from the environment only', () => {
    const profile = async (text: string) => {
      const dir = await mkdtemp(join(tmpdir(), 'settings-'));
      await writeFile(join(dir, 'config'), text);
      for (const n of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT']) delete process.env[n];
      // Never the instance metadata service (a link-local address) from a test.
      Object.assign(process.env, { AWS_PROFILE: 'serve-test', AWS_CONFIG_FILE: join(dir, 'config'), AWS_EC2_METADATA_DISABLED: 'true' });
    };

    test("the profile's region and FIPS choice end up in the variables", async () => {
      await profile('[profile serve-test]\nregion = eu-west-3\nuse_fips_endpoint = true\n');
      expect(await resolveSettings(undefined)).toEqual({ AWS_REGION: 'eu-west-3', AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'false' });
      expect((await resolveSettings('ca-central-1'))['AWS_REGION']).toBe('ca-central-1');
    });

    test('no region anywhere: serve stops before starting, saying where a region goes', async () => {
      await profile('[profile serve-test]\n');
      await expect(resolveSettings(undefined)).rejects.toThrow('no AWS region: pass --region, set AWS_REGION, or give the profile a region');
    });
  });
});
