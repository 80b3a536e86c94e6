// Tezos base58check encodings: a fixed prefix, then a payload of a fixed length.
import bs58check from 'bs58check';
import { concatBytes } from './bytes.js';

export interface Prefix {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly payloadLength: number;
}

function prefix(name: string, hex: string, payloadLength: number): Prefix {
  return { name, bytes: Uint8Array.from(Buffer.from(hex, 'hex')), payloadLength };
}

export const PREFIX = {
  tz1: prefix('tz1', '06a19f', 20),
  tz2: prefix('tz2', '06a1a1', 20),
  tz3: prefix('tz3', '06a1a4', 20),
  edpk: prefix('edpk', '0d0f25d9', 32),
  sppk: prefix('sppk', '03fee256', 33),
  p2pk: prefix('p2pk', '03b28b7f', 33),
  edsig: prefix('edsig', '09f5cd8612', 64),
  spsig1: prefix('spsig1', '0d7365133f', 64),
  p2sig: prefix('p2sig', '36f02c34', 64),
  sig: prefix('sig', '04822b', 64),
  chainId: prefix('Net', '575200', 4),
  // Secret keys never reach the Lambda; the local tools and tests use these.
  // edsk(98): the 64-byte expanded key (seed || public key); edsk(54): the 32-byte seed.
  edsk: prefix('edsk', '2bf64e07', 64),
  edskSeed: prefix('edsk', '0d0f3a07', 32),
  spsk: prefix('spsk', '11a2e0c9', 32),
  p2sk: prefix('p2sk', '1051eebd', 32),
} as const;

export function b58encode(p: Prefix, payload: Uint8Array): string {
  if (payload.length !== p.payloadLength) {
    throw new RangeError(`${p.name} payload must be ${p.payloadLength} bytes, got ${payload.length}`);
  }
  return bs58check.encode(concatBytes(p.bytes, payload));
}

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]*$/;

/**
 * The most base58 characters `bytes` bytes can take: each character carries log2(58) bits, and a
 * leading zero byte is one character '1'. Base58 decoding is quadratic in the length of its input,
 * so a longer string is refused before it is decoded: this bounds what an unauthenticated request
 * can cost (a 16,000-character pkh or `authentication` cost about half a second of CPU).
 */
export function maxEncodedLength(bytes: number): number {
  return Math.ceil((bytes * 8) / Math.log2(58));
}

/** The payload if `text` is a valid base58check string with this prefix and length, else undefined. */
export function b58decode(p: Prefix, text: string): Uint8Array | undefined {
  if (text.length > maxEncodedLength(p.bytes.length + p.payloadLength + 4) || !BASE58.test(text)) return undefined;
  let raw: Uint8Array | undefined;
  try {
    raw = bs58check.decodeUnsafe(text);
  } catch {
    return undefined;
  }
  if (raw === undefined || raw.length !== p.bytes.length + p.payloadLength) return undefined;
  for (let i = 0; i < p.bytes.length; i++) if (raw[i] !== p.bytes[i]) return undefined;
  return raw.slice(p.bytes.length);
}

export function encodeChainId(bytes: Uint8Array): string {
  return b58encode(PREFIX.chainId, bytes);
}
