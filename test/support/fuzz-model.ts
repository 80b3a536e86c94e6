// The request fuzzer and its oracle, shared by the in-process and the over-HTTP runs of
// test/safety/fuzz.test.ts. The generator mutates real consensus vectors (bytes) and the requests
// around them (body, path, query, method, event shape); the model says, from the README's HTTP API and
// the independent reference parser, what status a correct signer answers, and tracks the watermark
// the signer must keep. Nothing here calls the signer's routing, parser or watermark code.
import bs58check from 'bs58check';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import vectors from '../fixtures/consensus-operations.json' with { type: 'json' };
import { PREFIX, b58decode, b58encode } from '../../lambda/src/base58.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { blake2b256 } from '../../lambda/src/hash.js';
import { parseKeyHash, type PublicKey } from '../../lambda/src/keys.js';
import { decodeSignature, verifySignature } from '../../lambda/src/signature.js';
import { authenticationFor, type SecretKey } from '../../local/secret-keys.js';
import { payload as buildPayload, type Kind } from './payloads.js';
import { above, referenceVerdict, type RefVerdict } from './reference-parser.js';
import type { Rng } from './prng.js';

export const DOCUMENTED_STATUSES = new Set([200, 400, 401, 403, 404, 405, 409, 413, 500, 503]);

/** A Function URL (payload 2.0) or REST API (1.0) event, as the handler receives it. */
export interface FuzzEvent {
  version?: string;
  rawPath?: string;
  rawQueryString?: string;
  httpMethod?: string;
  path?: string;
  multiValueQueryStringParameters?: Record<string, string[]> | null;
  requestContext: { requestId: string; http?: { method: string } };
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export interface FuzzInput {
  readonly method: string;
  readonly path: string;
  /** The raw query string; see `finalize` for how the authentication gets in. */
  query: string;
  readonly body: string | undefined;
  readonly headers: Record<string, string>;
  /** Send as a REST API 1.0 event (in-process only). */
  readonly v1: boolean;
  /** Send the body base64-encoded in the event (in-process only). */
  readonly base64: boolean;
  /** What was done, for reports. */
  readonly note: string;
  /** Whether the byte-level mutation kept a valid authentication over the mutated bytes. */
  readonly reachesParser: boolean;
  /**
   * Makes the authentication (signing costs more than the rest of a request): called only when the
   * request gets as far as the authentication check; the query holds AUTH_PLACEHOLDER until then.
   */
  readonly makeAuth: (() => string) | undefined;
  readonly encodeAuth: (auth: string) => string;
}

export const AUTH_PLACEHOLDER = 'AUTHPLACEHOLDER';


export function toEvent(input: FuzzInput, requestId: string): FuzzEvent {
  const body = input.body === undefined ? undefined : input.base64 ? Buffer.from(input.body, 'utf8').toString('base64') : input.body;
  if (input.v1) {
    const multi: Record<string, string[]> = {};
    for (const [name, value] of new URLSearchParams(input.query)) (multi[name] ??= []).push(value);
    return {
      httpMethod: input.method,
      path: input.path,
      multiValueQueryStringParameters: Object.keys(multi).length > 0 ? multi : null,
      requestContext: { requestId },
      headers: input.headers,
      ...(body !== undefined ? { body } : {}),
      isBase64Encoded: input.base64,
    };
  }
  return {
    version: '2.0',
    rawPath: input.path,
    rawQueryString: input.query,
    requestContext: { requestId, http: { method: input.method } },
    headers: input.headers,
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: input.base64,
  };
}

// ---------------------------------------------------------------------------------------------
// The generator

const TEMPLATES: Uint8Array[] = Object.values(vectors.vectors).map((v) => fromHex(v.hex));
const KINDS: Kind[] = ['block', 'preattestation', 'attestation'];
const METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'post', 'Post', 'TRACE', 'FOO'];

export interface FuzzContext {
  readonly authorized: readonly SecretKey[];
  /** Keys that are not authorized: their authentications must be refused. */
  readonly strangers: readonly SecretKey[];
  /** The consensus keys the signer serves (public keys: the model needs no secret). */
  readonly consensus: readonly PublicKey[];
  /** Chain ids (4 bytes) the generator draws from, allowed or not. */
  readonly chains: readonly Uint8Array[];
  /** Over HTTP, bytes that Node's HTTP client refuses in a path are not generated. */
  readonly httpSafe: boolean;
}

/** Authentications the generator made, so the model knows which ones verify for what. */
export class AuthRegistry {
  /** README "HTTP API": with authorized keys of several curves, the generic `sig…` form is refused (400). */
  constructor(private readonly severalCurves: boolean) {}
  private readonly valid = new Map<string, string>();
  /** `isValid` false: made to be refused, which any decodable string not recorded valid is. */
  add(auth: string, pkh: string, bytes: Uint8Array, isValid: boolean): void {
    if (!isValid) return;
    this.valid.set(auth, `${pkh}|${toHex(bytes)}`);
    if (this.valid.size > 200_000) this.valid.clear();
  }
  verdict(auth: string, pkh: string, bytes: Uint8Array): 'valid' | 'invalid' | 'unreadable' | 'generic' {
    const decoded = decodeSignature(auth);
    if (decoded === undefined) return 'unreadable';
    if (decoded.curve === undefined && this.severalCurves) return 'generic';
    const entry = this.valid.get(auth);
    if (entry !== undefined) return entry === `${pkh}|${toHex(bytes)}` ? 'valid' : 'invalid';
    // Not made here, or made invalid: a mutated or random string that still decodes.
    return 'invalid';
  }
}

function setInt32(bytes: Uint8Array, offset: number, value: number): void {
  if (offset >= 0 && offset + 4 <= bytes.length) new DataView(bytes.buffer, bytes.byteOffset).setInt32(offset, value, false);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

const INTERESTING_INT32 = [0, 1, -1, 2, 33, 37, 0x7fffffff, -0x80000000, 255, 256, 65535, 1 << 24];

function randomInt32(r: Rng): number {
  return r.chance(0.5) ? r.pick(INTERESTING_INT32) : (r.int(0, 0xffffffff) | 0);
}

/** A payload: a real vector, or one built at some chain/level/round, then mutated (or not). */
export function generatePayload(r: Rng, ctx: FuzzContext, index = 0): { bytes: Uint8Array; note: string } {
  let bytes: Uint8Array;
  let note: string;
  if (r.chance(0.3)) {
    bytes = Uint8Array.from(r.pick(TEMPLATES));
    if (r.chance(0.7)) bytes.set(r.pick(ctx.chains), 1);
    note = 'vector';
  } else {
    const kind = r.pick(KINDS);
    // Levels in a window that moves with the input index: new signatures, refusals and retries mix.
    const level = Math.max(0, Math.floor(index / 120) + r.int(-2, 2));
    bytes = buildPayload({ kind, chainId: r.pick(ctx.chains), level, round: r.int(0, 3), variant: r.chance(0.7) ? 0 : r.int(1, 3) });
    note = kind;
  }
  const count = r.chance(0.25) ? 0 : r.chance(0.7) ? 1 : r.int(2, 4);
  for (let i = 0; i < count; i++) {
    const [b, what] = mutateBytes(r, bytes);
    bytes = b;
    note += `+${what}`;
  }
  return { bytes, note };
}

function mutateBytes(r: Rng, input: Uint8Array): [Uint8Array, string] {
  const bytes = Uint8Array.from(input);
  const at = () => r.int(0, Math.max(0, bytes.length - 1));
  switch (r.int(0, 15)) {
    case 0: {
      const i = at();
      bytes[i] = bytes[i]! ^ (1 << r.int(0, 7));
      return [bytes, `bitflip@${i}`];
    }
    case 1: {
      const i = at();
      bytes[i] = r.int(0, 255);
      return [bytes, `byte@${i}`];
    }
    case 2: {
      const n = r.chance(0.5) ? r.int(0, bytes.length) : bytes.length - r.int(1, 4);
      return [bytes.slice(0, Math.max(0, n)), `truncate${n}`];
    }
    case 3: {
      const extra = r.chance(0.5) ? r.bytes(r.int(1, 40)) : new Uint8Array(r.int(1, 4));
      return [concat(bytes, extra), `extend${extra.length}`];
    }
    case 4: {
      const magic = r.pick([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11, 0x12, 0x13, 0x14, 0x80, 0xff]);
      bytes[0] = magic;
      return [bytes, `magic${magic}`];
    }
    case 5: {
      const tag = r.pick([0, 19, 20, 21, 22, 23, 30, 31, 40, 41, 255]);
      if (bytes.length > 37) bytes[37] = tag;
      return [bytes, `tag${tag}`];
    }
    case 6: {
      // Fitness length at 83: another value, or a consistent 37-byte fitness with a locked round.
      if (bytes[0] === 0x11 && bytes.length > 120 && r.chance(0.4)) {
        const lockedAt = 87 + 5 + 8; // after version and level elements: the empty locked round
        const locked = new Uint8Array(8);
        setInt32(locked, 0, 4);
        // Rounds of the base payloads are 0..3: some locked rounds are below, some not; some negative.
        setInt32(locked, 4, r.pick([0, 1, 2, 3, 5, -1, -2, -0x80000000]));
        const out = concat(bytes.subarray(0, lockedAt), locked, bytes.subarray(lockedAt + 4));
        setInt32(out, 83, 37);
        return [out, 'locked-round'];
      }
      const value = r.pick([0, 1, 32, 33, 34, 36, 37, 38, 41, 100, -1, 0x7fffffff]);
      setInt32(bytes, 83, value);
      return [bytes, `fitlen${value}`];
    }
    case 7: {
      // Level: the block header's, its fitness copy, or both; the attestation's.
      const value = randomInt32(r);
      if (bytes[0] === 0x11) {
        const which = r.int(0, 2);
        if (which !== 1) setInt32(bytes, 5, value);
        if (which !== 0) setInt32(bytes, 96, value);
        return [bytes, `level${value}/${which}`];
      }
      setInt32(bytes, 40, value);
      return [bytes, `level${value}`];
    }
    case 8: {
      // Round: the last fitness element of a block (from the fitness length), an attestation's.
      const value = randomInt32(r);
      if (bytes[0] === 0x11 && bytes.length > 90) {
        const len = new DataView(bytes.buffer, bytes.byteOffset).getInt32(83, false);
        if (r.chance(0.25)) {
          // The predecessor round (stored as -r - 1): valid when negative, refused when >= 0.
          const field = r.pick([-1, -2, -0x80000000, 0, 1, value]);
          setInt32(bytes, 87 + len - 12, field);
          return [bytes, `predecessor-round-field${field}`];
        }
        setInt32(bytes, 87 + len - 4, value);
        return [bytes, `round${value}`];
      }
      setInt32(bytes, 44, value);
      return [bytes, `round${value}`];
    }
    case 9: {
      if (bytes[0] === 0x11 && bytes.length > 180) {
        const len = new DataView(bytes.buffer, bytes.byteOffset).getInt32(83, false);
        const value = r.pick([0, 1, 2, 4, 5, -1, 100]);
        setInt32(bytes, 87 + len + 64, value);
        return [bytes, `payload-round${value}`];
      }
      return [bytes, 'noop'];
    }
    case 10: {
      // Seed nonce hash option: present (0xff + 32 bytes) or absent (0x00), or a bad tag.
      if (bytes[0] === 0x11 && bytes.length >= 198) {
        const i = bytes.length - 2;
        if (bytes[i] === 0x00 && r.chance(0.6)) return [concat(bytes.subarray(0, i), Uint8Array.of(0xff), r.bytes(32), bytes.subarray(i + 1)), 'seed-nonce'];
        bytes[i] = r.pick([0x01, 0x7f, 0xfe]);
        return [bytes, 'seed-tag'];
      }
      return [bytes, 'noop'];
    }
    case 11: {
      // DAL: tag 23 and a Zarith bitset, canonical or not.
      if ((bytes[0] === 0x13 || bytes[0] === 0x12) && bytes.length >= 80) {
        bytes[37] = r.chance(0.8) ? 23 : 21;
        const z = r.pick([
          [0x00],
          [0x01],
          [0x3f],
          [0x40],
          [0x80, 0x01],
          [0x82, 0x10],
          [0x80, 0x00],
          [0x80],
          [0xff, 0xff, 0x7f],
          [0x81, 0x80, 0x00],
          Array.from(r.bytes(r.int(1, 6))),
        ]);
        return [concat(bytes.subarray(0, 80), Uint8Array.from(z)), `dal${toHex(Uint8Array.from(z))}`];
      }
      return [bytes, 'noop'];
    }
    case 12: {
      if (bytes.length >= 5) bytes.set(r.bytes(4), 1);
      return [bytes, 'chain'];
    }
    case 13: {
      // Insert or delete bytes somewhere inside.
      const i = at();
      if (r.chance(0.5)) return [concat(bytes.subarray(0, i), r.bytes(r.int(1, 8)), bytes.subarray(i)), `insert@${i}`];
      return [concat(bytes.subarray(0, i), bytes.subarray(Math.min(bytes.length, i + r.int(1, 8)))), `delete@${i}`];
    }
    case 14:
      return [r.bytes(r.int(0, 240)), 'random'];
    default: {
      // Fitness element lengths.
      if (bytes[0] === 0x11 && bytes.length > 120) {
        const i = 87 + r.pick([0, 5, 13, 17, 25]);
        const value = r.pick([0, 1, 2, 3, 4, 5, 8, -1]);
        setInt32(bytes, i, value);
        return [bytes, `fit-elem@${i}=${value}`];
      }
      return [bytes, 'noop'];
    }
  }
}

function encodePathPkh(r: Rng, pkh: string): string {
  // Percent-encode a few characters: decodes to the same pkh.
  return [...pkh].map((c) => (r.chance(0.2) ? `%${c.charCodeAt(0).toString(16).toUpperCase()}` : c)).join('');
}

function otherCurvePkh(pkh: string): string {
  const parsed = parseKeyHash(pkh)!;
  const prefixes = [PREFIX.tz1, PREFIX.tz2, PREFIX.tz3];
  const other = prefixes.find((p) => b58decode(p, pkh) === undefined)!;
  return b58encode(other, parsed.hash);
}

/** The high-S twin of a secp256k1 authentication (s replaced by n - s): the same signature to a lax verifier. */
export function highSTwin(auth: string): string | undefined {
  const sig = decodeSignature(auth);
  if (sig === undefined || sig.curve !== 'secp256k1') return undefined;
  const n = secp256k1.Point.CURVE().n;
  const s = BigInt('0x' + toHex(sig.bytes.subarray(32)));
  const twin = concat(sig.bytes.subarray(0, 32), fromHex((n - s).toString(16).padStart(64, '0')));
  return b58encode(PREFIX.spsig1, twin);
}

/** One fuzz input. `registry` records the authentications made, for the model. */
export function generateInput(r: Rng, ctx: FuzzContext, registry: AuthRegistry, index = 0): FuzzInput {
  const consensus = r.pick(ctx.consensus);
  let pkh = consensus.pkh.encoded;
  let pathPkh = pkh;
  const notes: string[] = [];
  const pathKind = r.int(0, 99);
  if (pathKind < 8) {
    pkh = otherCurvePkh(pkh);
    pathPkh = pkh;
    notes.push('other-curve-pkh');
  } else if (pathKind < 14) {
    pkh = b58encode(r.pick([PREFIX.tz1, PREFIX.tz2, PREFIX.tz3]), r.bytes(20));
    pathPkh = pkh;
    notes.push('unknown-pkh');
  } else if (pathKind < 20) {
    pathPkh = encodePathPkh(r, pkh);
    notes.push('encoded-pkh');
  }
  const { bytes, note } = generatePayload(r, ctx, index);
  notes.push(note);
  const hex = toHex(bytes);

  // The authentication: valid over these bytes and this pkh most of the time. Made lazily.
  const authKind = r.int(0, 99);
  let makeAuth: (() => string) | undefined;
  let reaches = false;
  const signer = parseKeyHash(pkh)!;
  const key = r.pick(ctx.authorized);
  const generic = r.chance(0.1);
  const stranger = r.pick(ctx.strangers);
  const typoAt = r.next();
  const typoChar = r.pick([...'123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz']);
  const garbage = r.pick(['', 'x', 'sig', 'edsig', '0000', 'spsig1' + 'z'.repeat(90), '%zz', '+/=', 'null']);
  if (authKind < 70) {
    reaches = true;
    if (generic) notes.push('generic-sig');
    makeAuth = () => {
      let auth = authenticationFor(key, signer, bytes);
      if (generic) auth = b58encode(PREFIX.sig, decodeSignature(auth)!.bytes); // generic `sig` form: valid with keys of one curve, else 400
      registry.add(auth, pkh, bytes, true);
      return auth;
    };
  } else if (authKind < 74) {
    notes.push('auth-stranger');
    makeAuth = () => {
      const auth = authenticationFor(stranger, signer, bytes);
      registry.add(auth, pkh, bytes, false);
      return auth;
    };
  } else if (authKind < 78) {
    notes.push('auth-other-bytes');
    makeAuth = () => {
      const other = concat(bytes, Uint8Array.of(0));
      const auth = authenticationFor(key, signer, other);
      registry.add(auth, pkh, other, true);
      return auth;
    };
  } else if (authKind < 81) {
    notes.push('auth-other-pkh');
    makeAuth = () => {
      const otherPkh = parseKeyHash(otherCurvePkh(pkh))!;
      const auth = authenticationFor(key, otherPkh, bytes);
      registry.add(auth, otherPkh.encoded, bytes, true);
      return auth;
    };
  } else if (authKind < 84) {
    notes.push('auth-high-s');
    makeAuth = () => {
      const secpKey = ctx.authorized.find((k) => k.curve === 'secp256k1') ?? ctx.authorized[0]!;
      const valid = authenticationFor(secpKey, signer, bytes);
      registry.add(valid, pkh, bytes, true);
      const twin = highSTwin(valid)!;
      registry.add(twin, pkh, bytes, false);
      return twin;
    };
  } else if (authKind < 88) {
    notes.push('auth-missing');
  } else if (authKind < 92) {
    notes.push('auth-typo');
    makeAuth = () => {
      const valid = authenticationFor(key, signer, bytes);
      registry.add(valid, pkh, bytes, true);
      const i = Math.floor(typoAt * valid.length);
      const typo = valid.slice(0, i) + typoChar + valid.slice(i + 1);
      return typo === valid ? valid.slice(0, -1) : typo;
    };
  } else {
    notes.push('auth-garbage');
    makeAuth = () => garbage;
  }

  // The query string.
  const params: string[] = [];
  const q = r.int(0, 99);
  const encodeAuth = (auth: string) => (q < 5 ? [...auth].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('') : encodeURIComponent(auth));
  if (makeAuth !== undefined) {
    const value = AUTH_PLACEHOLDER;
    if (q < 5) notes.push('auth-percent');
    if (q >= 5 && q < 9) {
      params.push(`Authentication=${value}`);
      notes.push('auth-wrong-case');
    } else params.push(`authentication=${value}`);
    if (q >= 9 && q < 13) {
      params.push(`authentication=${value}`);
      notes.push('auth-twice');
    }
  }
  if (r.chance(0.1)) params.push(r.pick(['foo=bar', 'authentication2=x', 'a', '=', '&&', 'x=%zz']));
  if (r.chance(0.3)) params.reverse();
  const query = params.join('&');

  // The body.
  let body: string | undefined;
  const b = r.int(0, 99);
  if (b < 70) body = JSON.stringify(hex);
  else if (b < 73) body = JSON.stringify(hex.toUpperCase());
  else if (b < 75) body = ` \n${JSON.stringify(hex)}\t `;
  else if (b < 77) body = '"' + [...hex].map((c) => (r.chance(0.1) ? `\\u00${c.charCodeAt(0).toString(16)}` : c)).join('') + '"';
  else if (b < 79) body = JSON.stringify('0x' + hex);
  else if (b < 81) body = JSON.stringify(hex.slice(0, -1));
  else if (b < 83) body = JSON.stringify(hex.slice(0, 4) + r.pick(['g', 'z', ' ', 'é', '-']) + hex.slice(5));
  else if (b < 85) body = r.pick([JSON.stringify({ hex }), JSON.stringify([hex]), JSON.stringify({ data: hex, signature: null })]);
  else if (b < 87) body = hex;
  else if (b < 89) body = r.pick(['', ' ', '""', 'null', '0', 'true', '{}', '[]', '"\\u0000"']);
  else if (b < 90) body = undefined;
  else if (b < 92) body = JSON.stringify(hex) + r.pick(['x', ',', '"', ' "ab"']);
  else if (b < 94) {
    const big = toHex(r.bytes(r.int(2040, 2200)));
    body = JSON.stringify(big);
    notes.push('oversize?');
  } else if (b < 96) {
    body = JSON.stringify(hex + 'ab'.repeat(r.int(0, 3)));
  } else {
    body = JSON.stringify(hex);
  }
  if (ctx.httpSafe && body !== undefined && body.includes('\u0000')) body = '"00"';

  // The path.
  let path = `/keys/${pathPkh}`;
  const p = r.int(0, 99);
  if (p < 8) path = `/prod/keys/${pathPkh}`;
  else if (p < 11) path = `/a/b/c/keys/${pathPkh}/`;
  else if (p < 13) path = `//keys//${pathPkh}`;
  else if (p < 15) path = `/Keys/${pathPkh}`;
  else if (p < 17) path = `/keys/${pathPkh}/extra`;
  else if (p < 19) path = `/keys/${pathPkh.slice(0, -1)}`;
  else if (p < 21) path = `/keys/${pathPkh}%`;
  else if (p < 22) path = `/keys/%zz`;
  else if (p < 23) path = `/keys/%00${pathPkh}`;
  else if (p < 25) path = r.pick(['/keys', '/keys/', '/', '', '/authorized_keys', '/x/known_keys/', '/keys/known_keys', '/keys/authorized_keys', '/nothing']);
  else if (p < 26) path = `/keys/${pathPkh}?x=1`;
  if (!ctx.httpSafe && r.chance(0.01)) path = `/keys/${pathPkh} `;
  if (ctx.httpSafe && path === '') path = '/';

  let method = 'POST';
  if (r.chance(0.06)) method = r.pick(METHODS);
  const headers: Record<string, string> = {};
  if (r.chance(0.8)) headers['content-type'] = r.pick(['application/json', 'text/plain', 'application/octet-stream', 'application/json; charset=utf-8']);
  if (r.chance(0.05)) headers['x-forwarded-for'] = '10.0.0.1';
  if (r.chance(0.05)) headers['authentication'] = 'x';

  return {
    method,
    path,
    query,
    body,
    headers,
    v1: !ctx.httpSafe && r.chance(0.15),
    base64: !ctx.httpSafe && r.chance(0.05),
    note: notes.join(' '),
    reachesParser: reaches,
    makeAuth,
    encodeAuth,
  };
}

/**
 * Puts the authentication into the query: a real one when the model says the request reaches the
 * authentication check, else a stale signature (the signer answers before looking at it).
 */
export function finalize(input: FuzzInput, options: ModelOptions, toEventFn: (input: FuzzInput) => FuzzEvent): FuzzInput {
  if (!input.query.includes(AUTH_PLACEHOLDER)) return input;
  const probe = toEventFn({ ...input, query: input.query.replaceAll(AUTH_PLACEHOLDER, 'unreadable') });
  const reached = expect(probe, options).why === 'unreadable authentication';
  const auth = reached ? input.makeAuth!() : STALE_AUTH;
  return { ...input, query: input.query.replaceAll(AUTH_PLACEHOLDER, input.encodeAuth(auth)) };
}

/** A well-formed signature made for nothing the fuzzer sends. */
const STALE_AUTH = b58encode(PREFIX.spsig1, new Uint8Array(64).fill(7));

// ---------------------------------------------------------------------------------------------
// The model

export interface Expectation {
  /** The statuses a correct signer may answer (one, except where a watermark decides). */
  readonly status: number;
  readonly why: string;
  /** For a signing request that passes every check before the watermark. */
  readonly sign?: { readonly pkh: string; readonly bytes: Uint8Array; readonly verdict: Extract<RefVerdict, { verdict: 'sign' }> };
  /** GET of a key or the lists. */
  readonly serve?: 'public_key' | 'authorized_keys' | 'known_keys';
  /** The request carries a valid authentication: it reaches the payload parser. */
  readonly authenticated?: boolean;
}

function isPkh(text: string): boolean {
  let raw: Uint8Array | undefined;
  try {
    raw = bs58check.decodeUnsafe(text);
  } catch {
    return false;
  }
  if (raw === undefined || raw.length !== 23) return false;
  const prefix = toHex(raw.subarray(0, 3));
  return prefix === '06a19f' || prefix === '06a1a1' || prefix === '06a1a4';
}

export interface ModelOptions {
  readonly known: ReadonlySet<string>;
  /** Allowed chains as 8-hex-digit strings; undefined: any. */
  readonly allowedChainHex: ReadonlySet<string> | undefined;
  readonly registry: AuthRegistry;
}

/** What the README's HTTP API says a signer answers, up to the watermark decision. */
export function expect(event: FuzzEvent, options: ModelOptions): Expectation {
  const v2 = event.version === '2.0';
  const method = ((v2 ? event.requestContext.http?.method : event.httpMethod) ?? '').toUpperCase();
  const path = (v2 ? event.rawPath : event.path) ?? '';
  const segments = path.split('/').filter((s) => s !== '');
  const last = segments.at(-1);
  if (last === 'authorized_keys' || last === 'known_keys') {
    return method === 'GET' ? { status: 200, why: 'list', serve: last } : { status: 405, why: 'method on list' };
  }
  if (segments.length < 2 || segments.at(-2) !== 'keys') return { status: 404, why: 'no route' };
  let pkh: string;
  try {
    pkh = decodeURIComponent(last!);
  } catch {
    return { status: 400, why: 'bad percent-encoding' };
  }
  if (!isPkh(pkh)) return { status: 400, why: 'not a pkh' };
  if (method === 'GET') return options.known.has(pkh) ? { status: 200, why: 'public key', serve: 'public_key' } : { status: 404, why: 'unknown key (GET)' };
  if (method !== 'POST') return { status: 405, why: `method ${method}` };

  const raw = event.body;
  const bodyBytes = raw === undefined ? 0 : Buffer.byteLength(raw);
  if (bodyBytes > 4096) return { status: 413, why: 'body over 4 KiB' };
  const body = raw !== undefined && event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (body === undefined || body.trim() === '') return { status: 400, why: 'empty body' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { status: 400, why: 'not JSON' };
  }
  if (typeof value !== 'string') return { status: 400, why: 'not a JSON string' };
  if (value.startsWith('0x') || value.startsWith('0X')) return { status: 400, why: '0x prefix' };
  if (value === '' || value.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(value)) return { status: 400, why: 'not even hex' };
  const bytes = Uint8Array.from(Buffer.from(value, 'hex'));

  const auths = v2 ? new URLSearchParams(event.rawQueryString ?? '').getAll('authentication') : (event.multiValueQueryStringParameters?.['authentication'] ?? []);
  if (auths.length > 1) return { status: 400, why: 'authentication twice' };
  const auth = auths[0];
  if (auth === undefined || auth === '') return { status: 401, why: 'no authentication' };
  const check = options.registry.verdict(auth, pkh, bytes);
  if (check === 'unreadable') return { status: 400, why: 'unreadable authentication' };
  if (check === 'generic') return { status: 400, why: 'generic sig, keys of several curves' };
  if (check === 'invalid') return { status: 403, why: 'authentication refused' };

  const verdict = referenceVerdict(bytes, options.allowedChainHex ? { allowedChainHex: options.allowedChainHex } : {});
  if (verdict.verdict === 'refuse') return { status: verdict.status, why: `reference: ${verdict.why}`, authenticated: true };
  // docs/security.md: a tz3 (P-256) key never signs a block, known key or not (decided from the pkh).
  if (verdict.kind === 'block' && pkh.startsWith('tz3')) return { status: 403, why: 'tz3 block', authenticated: true };
  if (!options.known.has(pkh)) return { status: 404, why: 'unknown key (POST)', authenticated: true };
  return { status: 200, why: 'signable', sign: { pkh, bytes, verdict }, authenticated: true };
}

export interface Released {
  level: number;
  round: number;
  digest: string;
  signature: string;
}

/** The watermark a correct signer keeps, per (pkh, chain, kind), built from the answers it gave. */
export class WatermarkModel {
  readonly positions = new Map<string, Released>();
  signatures = 0;
  retries = 0;
  refusals = 0;

  /** Checks a signing answer against the model and records it; returns a violation or undefined. */
  check(expected: NonNullable<Expectation['sign']>, status: number, body: unknown, publicKey: PublicKey): string | undefined {
    const { verdict, bytes } = expected;
    const key = `${expected.pkh}#${verdict.chainIdHex}#${verdict.kind}`;
    const digest = toHex(blake2b256(bytes));
    const stored = this.positions.get(key);
    const position = { level: verdict.level, round: verdict.round };
    if (stored === undefined || above(position, stored)) {
      if (status !== 200) return `expected a new signature at ${JSON.stringify(position)} (stored ${JSON.stringify(stored ?? null)}), got ${status}`;
      const signature = (body as { signature?: unknown }).signature;
      if (typeof signature !== 'string') return `200 without a signature: ${JSON.stringify(body)}`;
      const decoded = decodeSignature(signature);
      if (decoded === undefined || decoded.curve !== publicKey.curve || !verifySignature(publicKey, blake2b256(bytes), decoded.bytes)) {
        return `released signature does not verify for the payload: ${signature}`;
      }
      this.positions.set(key, { ...position, digest, signature });
      this.signatures += 1;
      return undefined;
    }
    if (stored.level === position.level && stored.round === position.round && stored.digest === digest) {
      if (status !== 200) return `identical retry refused with ${status}`;
      if ((body as { signature?: unknown }).signature !== stored.signature) return `identical retry got another signature: ${JSON.stringify(body)} vs ${stored.signature}`;
      this.retries += 1;
      return undefined;
    }
    if (status === 200) return `SIGNED BELOW OR AT THE WATERMARK: ${JSON.stringify(position)} digest ${digest} with ${JSON.stringify(stored)} stored`;
    if (status !== 409) return `expected 409 below the watermark, got ${status}`;
    this.refusals += 1;
    return undefined;
  }
}

/** The octez error shape, or the 200 JSON of the route. */
export function bodyShapeProblem(status: number, body: unknown, serve: Expectation['serve'] | 'signature' | undefined): string | undefined {
  if (status === 200) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return `200 body is not a JSON object: ${JSON.stringify(body)}`;
    const keys = Object.keys(body);
    const want = serve ?? 'signature';
    if (keys.length !== 1 || keys[0] !== want) return `200 body ${JSON.stringify(body)} is not {"${want}": …}`;
    return undefined;
  }
  if (
    !Array.isArray(body) ||
    body.length !== 1 ||
    typeof body[0] !== 'object' ||
    body[0] === null ||
    (body[0] as Record<string, unknown>)['kind'] !== 'temporary' ||
    (body[0] as Record<string, unknown>)['id'] !== 'failure' ||
    typeof (body[0] as Record<string, unknown>)['msg'] !== 'string' ||
    Object.keys(body[0] as object).length !== 3
  ) {
    return `error body is not octez-shaped: ${JSON.stringify(body)?.slice(0, 200)}`;
  }
  const msg = (body[0] as { msg: string }).msg;
  if (/\n\s+at |node_modules|\.ts:\d+/.test(msg)) return `error message looks like a stack trace: ${msg.slice(0, 200)}`;
  return undefined;
}
