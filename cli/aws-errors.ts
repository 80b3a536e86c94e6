// What an AWS SDK error means for the operator, as an exit code of the documented table: a service that
// answered that the key or table does not exist or cannot be used (no such key/table, disabled, access
// denied, unknown credentials) is a configuration error (4); a missing region or credentials is a usage
// error (2); no answer at all is unreachable (3); any other answer (throttled, a server error) is a
// failure (1).
import { CommandFailure, EXIT } from './command.js';

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const NAMES_CONFIG = new Set([
  'NotFoundException',
  'ResourceNotFoundException',
  'InvalidArnException',
  'ValidationException',
  'KMSInvalidStateException',
  'DisabledException',
  'InvalidKeyUsageException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
]);

export function awsExitCode(error: unknown): number {
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name ?? '';
  const message = e.message ?? '';
  if (NAMES_CONFIG.has(name)) return EXIT.config;
  if (/Region is missing/i.test(message) || name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) return EXIT.usage;
  if (e.$metadata?.httpStatusCode !== undefined) return EXIT.failed;
  return EXIT.unreachable;
}

function hint(error: SdkErrorShape): string {
  if (/Region is missing/i.test(error.message ?? '')) return ': give --region R (or set AWS_REGION), or --data-dir DIR for the embedded stack of `serve`';
  if (error.name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message ?? '')) return ': no AWS credentials (AWS_PROFILE, environment, SSO, instance role)';
  return '';
}

/** The failure to report for an AWS SDK error that happened while talking to `where`. */
export function awsFailure(where: string, error: unknown): CommandFailure {
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return new CommandFailure(`${where}: ${name}${e.message ?? String(error)}${hint(e)}`, awsExitCode(error));
}
