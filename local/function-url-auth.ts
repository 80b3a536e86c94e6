// The local stand-in for a Function URL with authorization AWS_IAM (`serve --function-url-auth aws_iam`):
// Lambda checks the caller's SigV4 signature (service `lambda`) before it invokes, and so bills, the
// function; a request without a valid one gets 403 {"Message":"Forbidden"} and never reaches it. The
// front runs this before the handler so that a local flood shows what AWS would bill: nothing.
//
// What it does not model: IAM policy evaluation (who may invoke: test/iam proves the role's policy),
// and replay. Lambda does not refuse a repeated signature within its time window, and the baker's
// proxy signs identical requests in one second identically, so a replay check here would refuse what
// AWS accepts.
import type { IncomingHttpHeaders } from 'node:http';
import { checkAuthorizationHeader, verifyRequest, type Credentials } from './sigv4.js';

export interface FunctionUrlIam {
  /** The only credentials whose signature is accepted (the invoker role's, as far as this stand-in goes). */
  readonly credentials: Credentials;
  /** The Region the signature must be scoped to: the function's. */
  readonly region: string;
}

/** What AWS answers a Function URL request it does not authorize, whatever the reason. */
export const FORBIDDEN = { status: 403, body: '{"Message":"Forbidden"}' } as const;

/** The checks the headers decide alone: run before the body is read. */
export function headersMayPass(headers: IncomingHttpHeaders, iam: FunctionUrlIam): boolean {
  const parsed = checkAuthorizationHeader(headers, iam.credentials, 'lambda');
  return !('status' in parsed) && parsed.region === iam.region;
}

/** The whole signature, body included: true only for a request `iam.credentials` signed for this Region. */
export function signedByInvoker(request: { method: string; url: string; headers: IncomingHttpHeaders; body: Uint8Array }, iam: FunctionUrlIam, now = Date.now()): boolean {
  return headersMayPass(request.headers, iam) && verifyRequest(request, iam.credentials, 'lambda', now) === undefined;
}
