// MessagePack as Terraform's plugin protocol uses it (cty's msgpack encoding): nil, booleans, numbers,
// strings, binaries, arrays, maps, and extension values, which cty uses for unknown values only
// (type 0, or type 12 with refinements). An unknown value is kept with its raw bytes, so that a value
// Terraform sent comes back byte for byte, refinements included.

/** An unknown value (cty: "known after apply"), with the extension bytes it was read from, if any. */
export class Unknown {
  constructor(readonly raw?: Uint8Array) {}
}

export const UNKNOWN = new Unknown();

export type Value = null | boolean | number | string | Uint8Array | Unknown | Value[] | { [key: string]: Value };

export function isObject(v: Value): v is { [key: string]: Value } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Unknown);
}

export class MsgpackError extends Error {}

export function decode(bytes: Uint8Array): Value {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new MsgpackError(`truncated msgpack at byte ${pos}`);
  };
  const text = (n: number) => {
    need(n);
    const s = Buffer.from(bytes.buffer, bytes.byteOffset + pos, n).toString('utf8');
    pos += n;
    return s;
  };
  const bin = (n: number) => {
    need(n);
    const b = new Uint8Array(bytes.subarray(pos, pos + n));
    pos += n;
    return b;
  };
  const ext = (start: number, n: number) => {
    need(n + 1);
    pos += n + 1; // type byte and data: cty's extensions all mean "unknown"
    return new Unknown(bytes.slice(start, pos));
  };
  const u = (n: 1 | 2 | 4 | 8) => {
    need(n);
    const v = n === 1 ? view.getUint8(pos) : n === 2 ? view.getUint16(pos) : n === 4 ? view.getUint32(pos) : Number(view.getBigUint64(pos));
    pos += n;
    return v;
  };
  const i = (n: 1 | 2 | 4 | 8) => {
    need(n);
    const v = n === 1 ? view.getInt8(pos) : n === 2 ? view.getInt16(pos) : n === 4 ? view.getInt32(pos) : Number(view.getBigInt64(pos));
    pos += n;
    return v;
  };
  const array = (n: number): Value[] => Array.from({ length: n }, () => read());
  const map = (n: number) => {
    const out: { [key: string]: Value } = {};
    for (let k = 0; k < n; k++) {
      const key = read();
      if (typeof key !== 'string') throw new MsgpackError('a map key that is not a string');
      out[key] = read();
    }
    return out;
  };
  function read(): Value {
    need(1);
    const start = pos;
    const b = bytes[pos++]!;
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if (b >= 0xa0 && b <= 0xbf) return text(b & 0x1f);
    if (b >= 0x90 && b <= 0x9f) return array(b & 0x0f);
    if (b >= 0x80 && b <= 0x8f) return map(b & 0x0f);
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xcc: return u(1);
      case 0xcd: return u(2);
      case 0xce: return u(4);
      case 0xcf: return u(8);
      case 0xd0: return i(1);
      case 0xd1: return i(2);
      case 0xd2: return i(4);
      case 0xd3: return i(8);
      case 0xca: { need(4); const v = view.getFloat32(pos); pos += 4; return v; }
      case 0xcb: { need(8); const v = view.getFloat64(pos); pos += 8; return v; }
      case 0xd9: return text(u(1));
      case 0xda: return text(u(2));
      case 0xdb: return text(u(4));
      case 0xc4: return bin(u(1));
      case 0xc5: return bin(u(2));
      case 0xc6: return bin(u(4));
      case 0xdc: return array(u(2));
      case 0xdd: return array(u(4));
      case 0xde: return map(u(2));
      case 0xdf: return map(u(4));
      case 0xd4: return ext(start, 1);
      case 0xd5: return ext(start, 2);
      case 0xd6: return ext(start, 4);
      case 0xd7: return ext(start, 8);
      case 0xd8: return ext(start, 16);
      case 0xc7: return ext(start, u(1));
      case 0xc8: return ext(start, u(2));
      case 0xc9: return ext(start, u(4));
      default: throw new MsgpackError(`msgpack type byte 0x${b.toString(16)} is not used by Terraform`);
    }
  }
  const value = read();
  if (pos !== bytes.length) throw new MsgpackError(`${bytes.length - pos} trailing bytes after the msgpack value`);
  return value;
}

// cty's own unknown: fixext1, type 0, one zero byte.
const UNKNOWN_BYTES = Uint8Array.of(0xd4, 0, 0);

export function encode(value: Value): Uint8Array {
  const parts: Uint8Array[] = [];
  const push = (...b: number[]): void => {
    parts.push(Uint8Array.from(b));
  };
  const header = (len: number, fix: number, fixMax: number, b8: number | null, b16: number, b32: number) => {
    if (len <= fixMax) push(fix | len);
    else if (b8 !== null && len <= 0xff) push(b8, len);
    else if (len <= 0xffff) push(b16, len >> 8, len & 0xff);
    else push(b32, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  };
  const write = (v: Value): void => {
    if (v === null) return push(0xc0);
    if (v === true) return push(0xc3);
    if (v === false) return push(0xc2);
    if (v instanceof Unknown) {
      parts.push(v.raw ?? UNKNOWN_BYTES);
      return;
    }
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) {
        const b = Buffer.alloc(9);
        if (v >= 0 && v <= 0x7f) return push(v);
        if (v < 0 && v >= -32) return push(v & 0xff);
        b[0] = 0xd3;
        b.writeBigInt64BE(BigInt(v), 1);
        parts.push(b);
        return;
      }
      const b = Buffer.alloc(9);
      b[0] = 0xcb;
      b.writeDoubleBE(v, 1);
      parts.push(b);
      return;
    }
    if (typeof v === 'string') {
      const bytes = Buffer.from(v, 'utf8');
      header(bytes.length, 0xa0, 31, 0xd9, 0xda, 0xdb);
      parts.push(bytes);
      return;
    }
    if (v instanceof Uint8Array) {
      header(v.length, 0, -1, 0xc4, 0xc5, 0xc6);
      parts.push(v);
      return;
    }
    if (Array.isArray(v)) {
      header(v.length, 0x90, 15, null, 0xdc, 0xdd);
      v.forEach(write);
      return;
    }
    const keys = Object.keys(v).sort();
    header(keys.length, 0x80, 15, null, 0xde, 0xdf);
    for (const k of keys) {
      write(k);
      write(v[k]!);
    }
  };
  write(value);
  return Buffer.concat(parts);
}
