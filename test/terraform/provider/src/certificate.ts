// The self-signed certificate a go-plugin server presents with AutoMTLS: Terraform pins it from the
// handshake line (base64 DER, no padding), verifies it for the name "localhost", and presents its own
// client certificate, which the server must require. Node can parse certificates but not make them,
// so this writes the DER by hand: an ECDSA P-256 key, CA and server/client-auth usages, SAN localhost.
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

function len(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(content);
  return Buffer.concat([Uint8Array.from([tag, ...len(body.length)]), body]);
}

const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);
const set = (...c: Uint8Array[]) => tlv(0x31, ...c);

function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    let v = p;
    do {
      chunk.unshift((v & 0x7f) | (chunk.length ? 0x80 : 0));
      v >>= 7;
    } while (v > 0);
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

function integer(bytes: Uint8Array): Uint8Array {
  let b = Buffer.from(bytes);
  while (b.length > 1 && b[0] === 0 && (b[1]! & 0x80) === 0) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Uint8Array.of(0), b]);
  return tlv(0x02, b);
}

function utcTime(d: Date): Uint8Array {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

function name(): Uint8Array {
  return seq(
    set(seq(oid('2.5.4.10'), tlv(0x0c, Buffer.from('terraform-aws-tezos-signer offline provider')))),
    set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('localhost')))),
  );
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return seq(oid(id), ...(critical ? [tlv(0x01, Uint8Array.of(0xff))] : []), tlv(0x04, value));
}

export interface Certificate {
  /** DER bytes, what the handshake line carries. */
  der: Buffer;
  certPem: string;
  keyPem: string;
  privateKey: KeyObject;
}

export function selfSignedCertificate(now = new Date(), serial: Uint8Array = Uint8Array.from(Array.from({ length: 16 }, () => Math.floor(Math.random() * 256)))): Certificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const notBefore = new Date(now.getTime() - 30_000);
  const notAfter = new Date(now.getTime() + 24 * 3600_000);
  const extensions = [
    // keyUsage: digitalSignature, keyCertSign (bits 0 and 5)
    extension('2.5.29.15', true, tlv(0x03, Uint8Array.of(2, 0x84))),
    // extKeyUsage: serverAuth, clientAuth
    extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    // basicConstraints: CA (Terraform adds it to its roots as go-plugin's own certificate is)
    extension('2.5.29.19', true, seq(tlv(0x01, Uint8Array.of(0xff)))),
    // subjectAltName: DNS localhost (go-plugin's client verifies the name "localhost")
    extension('2.5.29.17', false, seq(tlv(0x82, Buffer.from('localhost')))),
  ];
  const tbs = seq(
    tlv(0xa0, integer(Uint8Array.of(2))),
    integer(serial),
    ecdsaWithSha256,
    name(),
    seq(utcTime(notBefore), utcTime(notAfter)),
    name(),
    spki,
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = Buffer.from(seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Uint8Array.of(0), signature]))));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { der, certPem, keyPem, privateKey: createPrivateKey(keyPem) };
}
