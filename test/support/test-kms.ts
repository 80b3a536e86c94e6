// A small KMS endpoint for the safety suites (the KMS JSON protocol: GetPublicKey and Sign), holding
// keys whose secrets the test knows, with faults selectable at run time. The AWS SDK reaches it through
// AWS_ENDPOINT_URL_KMS like the real service. (The project's local/kms-server.ts is the stack's KMS;
// this one exists so that the safety suites can place KMS faults exactly and run without it.)
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { SecretKey } from '../../local/secret-keys.js';
import { spkiOf } from './fakes.js';

export type KmsFault = 'error' | 'throttle' | 'malformed-der' | 'wrong-key' | 'high-s-only' | { readonly delayMs: number } | undefined;

export interface TestKms {
  readonly url: string;
  /** Fault of the next Sign calls (GetPublicKey is never faulted). */
  faults: { sign: KmsFault; times?: number };
  readonly stats: { sign: number; injected: number; getPublicKey: number };
  close(): Promise<void>;
}

const CURVES = { secp256k1, p256 } as const;

export async function startTestKms(keys: ReadonlyMap<string, SecretKey>, stranger: SecretKey): Promise<TestKms> {
  const stats = { sign: 0, injected: 0, getPublicKey: 0 };
  const state: TestKms['faults'] = { sign: undefined };
  const sockets = new Set<Socket>();
  const answer = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const sign = (key: SecretKey, message: Uint8Array): Uint8Array =>
    key.curve === 'ed25519'
      ? ed25519.sign(message, key.secret)
      : CURVES[key.curve].sign(message, key.secret, { prehash: false, lowS: false, format: 'der', extraEntropy: true });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const input = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { KeyId?: string; Message?: string };
        const key = keys.get(input.KeyId ?? '');
        if (key === undefined) return answer(res, 400, { __type: 'NotFoundException', message: `key ${input.KeyId} not found` });
        if (target === 'TrentService.GetPublicKey') {
          stats.getPublicKey += 1;
          return answer(res, 200, { KeyId: input.KeyId, PublicKey: Buffer.from(spkiOf(key)).toString('base64') });
        }
        if (target !== 'TrentService.Sign') return answer(res, 400, { __type: 'UnsupportedOperationException', message: target });
        stats.sign += 1;
        const message = Uint8Array.from(Buffer.from(input.Message ?? '', 'base64'));
        let fault = state.sign;
        if (fault !== undefined && state.times !== undefined) {
          if (state.times <= 0) fault = undefined;
          else state.times -= 1;
        }
        if (fault !== undefined) stats.injected += 1;
        if (fault === 'error') return answer(res, 500, { __type: 'KMSInternalException', message: 'injected' });
        if (fault === 'throttle') return answer(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded (injected)' });
        if (typeof fault === 'object') await new Promise((r) => setTimeout(r, fault.delayMs));
        let signature = sign(fault === 'wrong-key' ? stranger : key, message);
        if (fault === 'malformed-der') signature = Uint8Array.from([0x30, 0x02, 0x02, 0x00, ...signature.slice(0, 4)]);
        return answer(res, 200, { KeyId: input.KeyId, Signature: Buffer.from(signature).toString('base64'), SigningAlgorithm: key.curve === 'ed25519' ? 'ED25519_SHA_512' : 'ECDSA_SHA_256' });
      })();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get faults() {
      return state;
    },
    set faults(value) {
      Object.assign(state, { sign: value.sign, times: value.times });
    },
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
