// Configuration from the environment, checked once at cold start. A signer that cannot tell who may
// call it, or which keys it serves, must not start: every problem here throws.
import { PREFIX, b58decode } from './base58.js';
import { MAX_ED25519_AUTHORIZED_KEYS } from './candidates.js';
import { parsePublicKey, type PublicKey } from './keys.js';

export interface Config {
  readonly kmsKeyIds: readonly string[];
  readonly tableName: string;
  readonly authorizedKeys: readonly PublicKey[];
  /** undefined: any chain. */
  readonly allowedChainIds: ReadonlySet<string> | undefined;
  readonly metricsNamespace: string;
  readonly functionName: string;
  /** SIGNER_MULTI_REGION=true: sign only once the table is known to be an MRSC global table. */
  readonly multiRegion: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];

  const kmsKeyIds = list(env['SIGNER_KMS_KEY_IDS']);
  if (kmsKeyIds.length === 0) problems.push('SIGNER_KMS_KEY_IDS is empty: name at least one KMS key id or ARN');
  if (new Set(kmsKeyIds).size !== kmsKeyIds.length) problems.push('SIGNER_KMS_KEY_IDS names a key twice');

  const tableName = (env['SIGNER_TABLE_NAME'] ?? '').trim();
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(tableName)) problems.push('SIGNER_TABLE_NAME is missing or not a DynamoDB table name');

  const authorizedKeys: PublicKey[] = [];
  const authorized = list(env['SIGNER_AUTHORIZED_KEYS']);
  if (authorized.length === 0) {
    problems.push('SIGNER_AUTHORIZED_KEYS is empty: without an authorized key anyone could ask for signatures; give at least one edpk/sppk/p2pk');
  }
  for (const text of authorized) {
    try {
      authorizedKeys.push(parsePublicKey(text));
    } catch (error) {
      problems.push(`SIGNER_AUTHORIZED_KEYS: ${(error as Error).message}`);
    }
  }
  // Ed25519 has no key recovery: a forged edsig or sig authentication is checked against each edpk.
  const ed25519Keys = authorizedKeys.filter((k) => k.curve === 'ed25519').length;
  if (ed25519Keys > MAX_ED25519_AUTHORIZED_KEYS) {
    problems.push(`SIGNER_AUTHORIZED_KEYS: ${ed25519Keys} edpk keys, at most ${MAX_ED25519_AUTHORIZED_KEYS}`);
  }

  const chains = list(env['SIGNER_ALLOWED_CHAIN_IDS']);
  for (const chain of chains) {
    if (b58decode(PREFIX.chainId, chain) === undefined) problems.push(`SIGNER_ALLOWED_CHAIN_IDS: ${JSON.stringify(chain)} is not a chain id (Net…)`);
  }

  // Strict: a typo ("yes", "TRUE ") must not turn the multi-region check off.
  const multiRegionText = env['SIGNER_MULTI_REGION'] ?? '';
  if (multiRegionText !== '' && multiRegionText !== 'true' && multiRegionText !== 'false') {
    problems.push('SIGNER_MULTI_REGION must be true or false');
  }

  if (problems.length > 0) throw new ConfigError(`invalid signer configuration:\n- ${problems.join('\n- ')}`);
  return {
    kmsKeyIds,
    tableName,
    authorizedKeys,
    allowedChainIds: chains.length > 0 ? new Set(chains) : undefined,
    metricsNamespace: env['SIGNER_METRICS_NAMESPACE']?.trim() || 'TezosSigner',
    functionName: env['AWS_LAMBDA_FUNCTION_NAME'] ?? 'local',
    multiRegion: multiRegionText === 'true',
  };
}
