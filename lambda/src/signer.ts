// The remote-signer service: routes a request, refuses what it must, and signs consensus payloads
// under the high watermark. No AWS types here: KMS and DynamoDB arrive as small interfaces.
import { authenticate } from './auth.js';
import { encodeChainId } from './base58.js';
import { fromHex, isHex, toHex } from './bytes.js';
import {
  InternalError,
  MalformedRequest,
  MethodNotAllowed,
  NotFound,
  PayloadTooLarge,
  PolicyRefusal,
  SignerError,
  UnknownKey,
  UpstreamFailure,
  WatermarkRefusal,
} from './errors.js';
import { blake2b256 } from './hash.js';
import { MAX_BODY_BYTES, errorResponse, jsonResponse, route, type HttpRequest, type HttpResponse } from './http.js';
import { parseKeyHash, type PublicKey } from './keys.js';
import { signDigest, type ConsensusKey, type KmsApi } from './kms.js';
import { parseConsensusOperation } from './operation.js';
import { isSelfTest } from './self-test.js';
import { encodeSignature } from './signature.js';
import type { RequestRecord } from './telemetry.js';
import { decide, describe, isAbove, watermarkKey, type Watermark } from './watermark.js';
import type { WatermarkStore } from './watermark-store.js';

export { MAX_BODY_BYTES };

export interface SignerDeps {
  readonly authorizedKeys: readonly PublicKey[];
  readonly allowedChainIds: ReadonlySet<string> | undefined;
  /** The consensus keys by pkh; loaded once (KMS GetPublicKey) and cached by the caller. */
  readonly keys: () => Promise<ReadonlyMap<string, ConsensusKey>>;
  readonly kms: KmsApi;
  readonly store: WatermarkStore;
  readonly clock?: () => number;
}

export interface SignerResult {
  readonly response: HttpResponse;
  readonly record: RequestRecord;
}

export class Signer {
  private readonly authorizedPkhs: string[];
  private readonly clock: () => number;
  private readonly seen = new Map<string, { level: number; round: number }>();
  /** Early KMS Signs in flight, per watermark item: concurrent requests share one instead of each starting its own. */
  private readonly inflight = new Map<string, { digest: string; pending: Promise<Settled<Uint8Array>> }>();

  constructor(private readonly deps: SignerDeps) {
    this.authorizedPkhs = deps.authorizedKeys.map((k) => k.pkh.encoded);
    this.clock = deps.clock ?? (() => performance.now());
  }

  async handle(request: HttpRequest): Promise<SignerResult> {
    const start = this.clock();
    const record: RequestRecord = {
      requestId: request.requestId,
      method: request.method,
      route: 'none',
      status: 200,
      outcome: 'served',
    };
    let response: HttpResponse;
    try {
      response = await this.dispatch(request, record);
    } catch (error) {
      const known = error instanceof SignerError ? error : undefined;
      const failure = known ?? new InternalError('internal error');
      if (known === undefined) record.message = `unexpected: ${error instanceof Error ? error.name : typeof error}`;
      record.status = failure.status;
      record.outcome = failure.status >= 500 ? 'error' : 'refused';
      record.reason = failure.reason;
      record.message ??= failure.message;
      response = errorResponse(failure.status, failure.message);
    }
    record.status = response.statusCode;
    record.durationMs = round2(this.clock() - start);
    return { response, record };
  }

  private async dispatch(request: HttpRequest, record: RequestRecord): Promise<HttpResponse> {
    const target = route(request.path);
    record.route = target.name;
    const method = request.method;
    switch (target.name) {
      case 'authorized_keys':
        if (method !== 'GET') throw new MethodNotAllowed(`${method} not allowed on /authorized_keys`);
        return jsonResponse(200, { authorized_keys: this.authorizedPkhs });
      case 'known_keys': {
        if (method !== 'GET') throw new MethodNotAllowed(`${method} not allowed on /known_keys`);
        const keys = await this.deps.keys();
        return jsonResponse(200, { known_keys: [...keys.keys()] });
      }
      case 'key': {
        const pkh = parseKeyHash(target.pkh);
        if (pkh === undefined) throw new MalformedRequest(`not a tz1, tz2 or tz3 address: ${JSON.stringify(target.pkh.slice(0, 40))}`);
        record.pkh = pkh.encoded;
        if (method === 'GET') {
          const key = (await this.deps.keys()).get(pkh.encoded);
          if (key === undefined) throw new UnknownKey(`no key ${pkh.encoded} on this signer`);
          return jsonResponse(200, { public_key: key.publicKey.encoded });
        }
        if (method === 'POST') return this.sign(request, pkh.encoded, record);
        throw new MethodNotAllowed(`${method} not allowed on /keys/<pkh>`);
      }
      case 'none':
        throw new NotFound(`no route for ${request.path.slice(0, 80)}`);
    }
  }

  private async sign(request: HttpRequest, pkhText: string, record: RequestRecord): Promise<HttpResponse> {
    const payload = readPayload(request);
    const values = request.query.get('authentication') ?? [];
    if (values.length > 1) throw new MalformedRequest('authentication given more than once');
    const pkh = parseKeyHash(pkhText)!;
    const authorizedBy = authenticate(this.deps.authorizedKeys, pkh, payload, values[0]);
    record.authorizedKey = authorizedBy.pkh.encoded;

    const op = parseConsensusOperation(payload);
    const chainId = encodeChainId(op.chainId);
    Object.assign(record, { kind: op.kind, chainId, opLevel: op.level, opRound: op.round });
    const selfTest = isSelfTest(op);
    if (selfTest) record.selfTest = true;
    if (!selfTest && this.deps.allowedChainIds !== undefined && !this.deps.allowedChainIds.has(chainId)) {
      throw new PolicyRefusal(`refused: chain ${chainId} is not in this signer's allowed chains`);
    }
    if (op.kind === 'block' && pkh.curve === 'p256') {
      // Tezos accepts both (r, s) and (r, n - s) for P-256, a block hash covers its signature, and a
      // double-baking denunciation needs only two block hashes at one level and round: anyone could
      // turn one tz3 block signature into slashing evidence. See docs/security.md.
      throw new PolicyRefusal(
        'refused: block signing with a tz3 (P-256) key is unsafe: anyone can derive a second valid signature of the same block and denounce it as double baking; use a tz2 or tz1 key (docs/security.md)',
      );
    }

    const key = (await this.deps.keys()).get(pkhText);
    if (key === undefined) throw new UnknownKey(`no key ${pkhText} on this signer`);

    const digest = blake2b256(payload);
    const position = { level: op.level, round: op.round, digest: toHex(digest) };
    const storeKey = watermarkKey(pkhText, chainId, op.kind);

    // The KMS Sign starts while the watermark read is in flight, so that a new signature waits on two
    // sequential round trips (read ‖ Sign, then the conditional write) instead of three. The signature
    // stays in this function until the conditional write has recorded it; a refused or repeated request
    // wastes the call (counted in the log line and by `npm run cost`). When this instance already saw
    // a watermark at or above the request, the request cannot be signable, so KMS is not called early:
    // replays and retries to a warm instance cost no KMS call.
    // One early Sign per item at a time: an identical request shares the one in flight (the same bytes
    // get the same signature, which is what an identical retry is answered anyway); a request with other
    // bytes starts none and signs after its read, if the read allows it. A burst of 1,000 requests at
    // one position so costs one early Sign, not 1,000.
    const hint = this.seen.get(storeKey);
    let early: Promise<Settled<Uint8Array>> | undefined;
    let startedEarly = false;
    if (hint === undefined || isAbove(position, hint)) {
      const digestHex = toHex(digest);
      const running = this.inflight.get(storeKey);
      if (running === undefined) {
        early = this.startSign(record, key, digest);
        startedEarly = true;
        const entry = { digest: digestHex, pending: early };
        this.inflight.set(storeKey, entry);
        void early.then(() => {
          if (this.inflight.get(storeKey) === entry) this.inflight.delete(storeKey);
        });
      } else if (running.digest === digestHex) {
        early = running.pending;
      }
    }

    let stored: Watermark | undefined;
    try {
      stored = await this.timed(record, 'dynamoDbMs', () => this.deps.store.read(storeKey));
    } catch (error) {
      if (startedEarly) record.kmsWasted = true;
      throw error;
    }
    this.remember(storeKey, stored);
    const first = decide(stored, position, op.kind);
    if (first.action !== 'sign' && startedEarly) record.kmsWasted = true;
    if (first.action === 'repeat') return this.repeated(first.signature, record);
    if (first.action === 'refuse') throw new WatermarkRefusal(first.message);

    const signature = encodeSignature(key.publicKey.curve, await (early ?? this.startSign(record, key, digest)).then(unwrap));
    const next: Watermark = { ...position, signature };
    const recorded = await this.timed(record, 'dynamoDbMs', () =>
      this.deps.store.advance(storeKey, next, { pkh: pkhText, chainId, kind: op.kind }),
    );
    if (recorded) {
      this.remember(storeKey, next);
      record.outcome = 'signed';
      return jsonResponse(200, { signature });
    }

    // Another request recorded this (level, round) or a higher one between our read and our write.
    // Our signature is dropped; an identical payload gets the one that was recorded.
    const now = await this.timed(record, 'dynamoDbMs', () => this.deps.store.read(storeKey));
    this.remember(storeKey, now);
    const second = decide(now, position, op.kind);
    if (second.action === 'repeat') return this.repeated(second.signature, record);
    if (second.action === 'refuse') throw new WatermarkRefusal(second.message);
    throw new UpstreamFailure(`watermark write was refused but the stored watermark ${now ? describe(now) : '(none)'} is below the request; refusing`);
  }

  /**
   * Starts KMS Sign and settles into a value, never a rejection: a call whose answer is not awaited
   * (the read refused the request or failed) must not become an unhandled rejection, which would end
   * the Lambda runtime process.
   */
  private startSign(record: RequestRecord, key: ConsensusKey, digest: Uint8Array): Promise<Settled<Uint8Array>> {
    return this.timed(record, 'kmsMs', () => signDigest(this.deps.kms, key, digest)).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  }

  /** Keeps the highest watermark this instance has read or written, per key: a hint, never a decision. */
  private remember(storeKey: string, w: Watermark | undefined): void {
    if (w === undefined) return;
    const known = this.seen.get(storeKey);
    if (known !== undefined && !isAbove(w, known)) return;
    // Keys are per (pkh, chain, kind) of authenticated requests; the bound only caps a misbehaving client.
    if (this.seen.size >= MAX_HINTS) this.seen.clear();
    this.seen.set(storeKey, { level: w.level, round: w.round });
  }

  private repeated(signature: string, record: RequestRecord): HttpResponse {
    record.outcome = 'identical_retry';
    return jsonResponse(200, { signature });
  }

  private async timed<T>(record: RequestRecord, field: 'kmsMs' | 'dynamoDbMs', work: () => Promise<T>): Promise<T> {
    const start = this.clock();
    try {
      return await work();
    } finally {
      record[field] = round2((record[field] ?? 0) + this.clock() - start);
    }
  }
}

const MAX_HINTS = 4096;

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

function unwrap<T>(settled: Settled<T>): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** The body is a JSON string of hex bytes, as octez sends it. */
export function readPayload(request: HttpRequest): Uint8Array {
  if (request.bodyBytes > MAX_BODY_BYTES) {
    throw new PayloadTooLarge(`body of ${request.bodyBytes} bytes; the limit is ${MAX_BODY_BYTES}`);
  }
  const body = request.body;
  if (body === undefined || body.trim() === '') throw new MalformedRequest('empty body: expected a JSON string of hex bytes');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedRequest('body is not JSON: expected a JSON string of hex bytes, such as "11b3d79f99…"');
  }
  if (typeof value !== 'string') throw new MalformedRequest('body must be a JSON string of hex bytes');
  if (/^0x/i.test(value)) throw new MalformedRequest('hex must not start with 0x: send the bytes as octez does, such as "11b3d79f99…"');
  if (value === '') throw new MalformedRequest('empty payload');
  if (!isHex(value)) throw new MalformedRequest('payload is not hex of even length');
  return fromHex(value);
}
