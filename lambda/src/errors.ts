// Every refusal and failure is one of these; each maps to exactly one HTTP status and one metric reason.

export type RefusalReason =
  | 'malformed'
  | 'authentication'
  | 'policy'
  | 'unknown_key'
  | 'not_found'
  | 'method'
  | 'too_large'
  | 'watermark'
  | 'internal'
  | 'upstream';

export abstract class SignerError extends Error {
  abstract readonly status: number;
  abstract readonly reason: RefusalReason;
}

/** 400: the request cannot be read (bad JSON, bad hex, truncated or inconsistent payload). */
export class MalformedRequest extends SignerError {
  readonly status = 400;
  readonly reason = 'malformed';
}

/** 401: no `authentication` parameter on a signing request. */
export class MissingAuthentication extends SignerError {
  readonly status = 401;
  readonly reason = 'authentication';
}

/** 403: an `authentication` signature that no authorized key made over these bytes for this key. */
export class AuthenticationFailed extends SignerError {
  readonly status = 403;
  readonly reason = 'authentication';
}

/** 403: well-formed, authenticated, but not something this signer signs (not consensus, other chain). */
export class PolicyRefusal extends SignerError {
  readonly status = 403;
  readonly reason = 'policy';
}

/** 404: a well-formed key hash this signer does not hold. */
export class UnknownKey extends SignerError {
  readonly status = 404;
  readonly reason = 'unknown_key';
}

/** 404: no such route. */
export class NotFound extends SignerError {
  readonly status = 404;
  readonly reason = 'not_found';
}

/** 405: a known route with a method it does not serve. */
export class MethodNotAllowed extends SignerError {
  readonly status = 405;
  readonly reason = 'method';
}

/** 409: the high watermark refuses this (level, round), or other bytes at the signed (level, round). */
export class WatermarkRefusal extends SignerError {
  readonly status = 409;
  readonly reason = 'watermark';
}

/** 413: a body larger than any consensus payload can be. */
export class PayloadTooLarge extends SignerError {
  readonly status = 413;
  readonly reason = 'too_large';
}

/** 500: a bug or a broken configuration; the signer refuses rather than guess. */
export class InternalError extends SignerError {
  readonly status = 500;
  readonly reason = 'internal';
}

/** 503: KMS or DynamoDB failed or answered something unusable; nothing was released. */
export class UpstreamFailure extends SignerError {
  readonly status = 503;
  readonly reason = 'upstream';
}
