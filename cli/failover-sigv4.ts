// `failover --sign-sigv4`: each attempt to a Function URL with authorization AWS_IAM is signed with
// SigV4 for service `lambda`, in the upstream's own Region, with the baker host's AWS credentials (the
// invoker role's: they may invoke the URL and nothing else, modules/exposure). The octez
// `authentication` still goes through untouched: the function checks it, whoever signed the request.
import type { SigningCredentials } from '../local/sigv4-sign.js';
import { signedHeadersFor } from '../local/sigv4-sign.js';
import type { SignAttempt, Upstream } from './failover-proxy.js';

/** <url-id>.lambda-url.<region>.on.aws, the host of every Function URL. */
const FUNCTION_URL_HOST = /^[a-z0-9]+\.lambda-url\.([a-z]{2}(?:-[a-z]+)+-\d)\.on\.aws$/;

/** The Region a Function URL's host names, or undefined for any other host. */
export function regionOfFunctionUrl(hostname: string): string | undefined {
  return FUNCTION_URL_HOST.exec(hostname.toLowerCase())?.[1];
}

/**
 * The Region each upstream's signature is scoped to: the one its host names; `fallback` (--region) for
 * a host that names none (a custom domain, a local stand-in). A host that names a Region other than
 * --region is an error rather than a guess: one of the two is a typo, and a signature scoped to the
 * wrong Region is refused by every request.
 */
export function upstreamRegions(upstreams: readonly Upstream[], fallback: string | undefined): string[] {
  return upstreams.map((u) => {
    const named = regionOfFunctionUrl(u.url.hostname);
    if (named !== undefined && fallback !== undefined && named !== fallback) {
      throw new Error(`${u.url.host} is a Function URL in ${named}, not --region ${fallback}: leave --region out for Function URLs`);
    }
    const region = named ?? fallback;
    if (region === undefined) throw new Error(`cannot tell the Region of ${u.url.host} (not <id>.lambda-url.<region>.on.aws): give --region`);
    return region;
  });
}

/**
 * The signer of attempts. `credentials` is asked at every attempt: the SDK's provider caches them and
 * refreshes temporary ones (an assumed invoker role) before they expire, so a long-running proxy keeps
 * signing. The body's hash is sent as x-amz-content-sha256 as well: Lambda does not need it, but it
 * costs nothing and some fronts (CloudFront to a Function URL) do.
 */
export function sigv4Signer(upstreams: readonly Upstream[], regions: readonly string[], credentials: () => Promise<SigningCredentials>): SignAttempt {
  const regionOf = new Map(upstreams.map((u, i) => [u, regions[i]!] as const));
  return async (upstream, request) => {
    const region = regionOf.get(upstream);
    if (region === undefined) throw new Error(`no Region for ${upstream.name}`);
    const headers = signedHeadersFor(request, await credentials(), { region, service: 'lambda' }, { contentSha256: true });
    return { ...headers };
  };
}
