import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { CommandFailure, EXIT, UsageError, type Command } from '../command.js';
import { DEFAULT_POLICY, type FailoverPolicy } from '../failover-route.js';
import { startFailover, upstreamOf, type Upstream } from '../failover-proxy.js';
import { assertPortFree } from '../port.js';
import { credentialSource } from '../aws-credentials.js';
import { sigv4Signer, upstreamRegions } from '../failover-sigv4.js';

const DEFAULT_LISTEN = '127.0.0.1:6733';

const usage = `tezos-signer failover --upstream URL --upstream URL [--listen ${DEFAULT_LISTEN}]
                        [--attempt-timeout-ms ${DEFAULT_POLICY.attemptTimeoutMs}] [--budget-ms ${DEFAULT_POLICY.budgetMs}] [--allow-remote-listen]
                        [--sign-sigv4 [--region R]]

A proxy for the baker host: octez-client holds one signer URL per key, this gives it one that fails
over between the signer's regions. Each request goes, unchanged (authentication included), to the
first healthy upstream in the order given; after a connection error, a 5xx or a timeout it goes to the
next, one attempt after the other, never to two at once. An upstream that failed is tried after the
others for a back-off (${DEFAULT_POLICY.backoffMs / 1000} s, doubling up to ${DEFAULT_POLICY.maxBackoffMs / 1000} s). An attempt may take --attempt-timeout-ms, a
request --budget-ms in all (a mainnet round is 6 s). One JSON line per request on stdout names the
region that answered, its status and the latency; the authentication signature is never logged.

A retry in another region is safe only because the regions share one watermark table with
multi-Region strong consistency: an identical request gets the signature recorded for it. Point the
upstreams only at one deployment's regions (docs/failover.md).

--sign-sigv4: the upstreams are Function URLs with authorization AWS_IAM (Terraform exposure
"function_url_iam"): each attempt is signed with SigV4 for service lambda, in the Region the URL's
host names (<id>.lambda-url.<region>.on.aws; --region for any other host), with the AWS credentials of
the standard chain: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN first, else
AWS_PROFILE (a profile that assumes the invoker role is refreshed before it expires). They are checked
once at start (exit 2 without any) and never logged. A request AWS does not authorize comes back as
its 403 {"Message":"Forbidden"}, not retried in another region.

It listens on loopback only: the listener is plain HTTP without authentication of its own, so anyone
who reached it would reach the signer with the baker host's network position. --allow-remote-listen
accepts another address; do not use it without a firewall in front.
`;

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text);
  if (!match) throw new UsageError(`--listen: expected HOST:PORT such as ${DEFAULT_LISTEN}, got ${text}`);
  const port = Number(match[2]);
  if (port > 65535) throw new UsageError(`--listen: port ${port} is out of range`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function milliseconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 100 || value > 60_000) throw new UsageError(`--${name}: expected milliseconds between 100 and 60000, got ${text}`);
  return value;
}

/** The lines that point octez-client at the proxy, one per consensus key. */
export function octezLines(proxyUrl: string, pkhs: readonly string[]): string[] {
  const keys = pkhs.length > 0 ? pkhs : ['<pkh>'];
  return keys.map((pkh, i) => `octez-client import secret key ${keys.length > 1 ? `consensus-${i + 1}` : 'consensus'} ${proxyUrl}/${pkh} --force`);
}

export const failover: Command = {
  name: 'failover',
  summary: 'a loopback proxy for the baker that fails over between the signer\'s regions',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        upstream: { type: 'string', multiple: true },
        listen: { type: 'string', default: DEFAULT_LISTEN },
        'attempt-timeout-ms': { type: 'string' },
        'budget-ms': { type: 'string' },
        'allow-remote-listen': { type: 'boolean', default: false },
        'sign-sigv4': { type: 'boolean', default: false },
        region: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const texts = values.upstream ?? [];
    if (texts.length === 0) throw new UsageError('give the regions\' signer URLs: --upstream URL --upstream URL (terraform output)');
    let upstreams: Upstream[];
    try {
      upstreams = texts.map(upstreamOf);
    } catch (error) {
      throw new UsageError(`--upstream: ${(error as Error).message}`);
    }
    if (new Set(upstreams.map((u) => u.url.href)).size !== upstreams.length) throw new UsageError('--upstream: the same URL twice');
    const { host, port } = parseListen(values.listen!);
    if (!isLoopback(host) && !values['allow-remote-listen']) {
      throw new UsageError(`--listen ${values.listen}: not a loopback address. The proxy is plain HTTP without authentication; listening elsewhere needs --allow-remote-listen (and a firewall)`);
    }
    const attemptTimeoutMs = milliseconds('attempt-timeout-ms', values['attempt-timeout-ms'], DEFAULT_POLICY.attemptTimeoutMs);
    const budgetMs = milliseconds('budget-ms', values['budget-ms'], DEFAULT_POLICY.budgetMs);
    if (budgetMs < attemptTimeoutMs) throw new UsageError(`--budget-ms ${budgetMs} is shorter than one attempt (--attempt-timeout-ms ${attemptTimeoutMs})`);
    const policy: FailoverPolicy = { ...DEFAULT_POLICY, attemptTimeoutMs, budgetMs };
    if (values.region !== undefined && !values['sign-sigv4']) throw new UsageError('--region is the Region of the SigV4 signature: it goes with --sign-sigv4');
    if (values.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(values.region)) throw new UsageError(`--region: not a Region name: ${values.region}`);

    let sign: ReturnType<typeof sigv4Signer> | undefined;
    let closeCredentials = () => {};
    if (values['sign-sigv4']) {
      let regions: string[];
      try {
        regions = upstreamRegions(upstreams, values.region);
      } catch (error) {
        throw new UsageError(`--sign-sigv4: ${(error as Error).message}`);
      }
      const source = credentialSource(regions[0]);
      closeCredentials = source.close;
      // Asked once now: a proxy that cannot sign is a usage error at start, not a 503 at the first block.
      await source.get().catch((error: unknown) => {
        source.close();
        throw new UsageError(`--sign-sigv4: no AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE): ${(error as Error).message}`);
      });
      sign = sigv4Signer(upstreams, regions, source.get);
    }

    await assertPortFree(port, host);
    const proxy = await startFailover({ upstreams, host, port, policy, sign }).catch((error: unknown) => {
      closeCredentials();
      throw new CommandFailure(`cannot listen on ${values.listen}: ${(error as Error).message}`, EXIT.usage);
    });
    const stop = () => {
      closeCredentials();
      proxy.close().then(
        () => process.exit(EXIT.ok),
        () => process.exit(EXIT.failed),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);

    // Asked through the proxy itself: the keys are what the first region that answers serves.
    let pkhs: string[] = [];
    try {
      const response = await fetch(`${proxy.url}/known_keys`, { signal: AbortSignal.timeout(policy.budgetMs + 1000) });
      if (response.ok) pkhs = ((await response.json()) as { known_keys?: string[] }).known_keys ?? [];
    } catch {
      pkhs = [];
    }
    const shownUrl = `http://${isIP(host) === 6 ? `[${host}]` : host}:${proxy.port}`;
    process.stderr.write(
      [
        `failover on ${shownUrl}, upstreams in order: ${upstreams.map((u) => u.url.href).join(', ')}`,
        `per attempt ${attemptTimeoutMs} ms, per request ${budgetMs} ms; one JSON line per request on stdout`,
        ...(sign ? ['each attempt signed with SigV4 (service lambda) with the AWS credentials of the standard chain'] : []),
        pkhs.length === 0 ? 'no region answered GET /known_keys yet: replace <pkh> with the consensus key\'s tz address' : `keys served: ${pkhs.join(', ')}`,
        'point octez-client at it (the baker keeps its alias):',
        ...octezLines(shownUrl, pkhs).map((l) => `  ${l}`),
        '',
      ].join('\n'),
    );
    return new Promise<number>(() => undefined); // runs until a signal
  },
};
