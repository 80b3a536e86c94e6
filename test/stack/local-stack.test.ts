// The whole stack, locally: the committed bundle behind `serve`, on dynalite and the local KMS endpoint,
// reached through the real AWS SDK clients, driven over HTTP by an independent client (Taquito).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSigner, type RunningSigner } from '../../cli/serve.js';
import { runConformance, signRequest, request } from '../conformance/suite.js';
import { parseSecretKey } from '../../local/secret-keys.js';
import { payloadHex, randomChainId } from '../support/payloads.js';

const BUNDLE = resolve(import.meta.dirname, '../../lambda/dist/handler.mjs');

describe('local stack: serve on the embedded stack', () => {
  let dataDir: string;
  let signer: RunningSigner;
  let pkh: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'signer-stack-'));
    signer = await startSigner({ port: 0, host: '127.0.0.1', dataDir, bundle: BUNDLE });
    const { body } = await request(`${signer.url}/known_keys`);
    pkh = (body as { known_keys: string[] }).known_keys[0]!;
  });

  afterAll(async () => {
    await signer?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the first start creates one tz2 consensus key and an authorized key', async () => {
    expect(pkh).toMatch(/^tz2[1-9A-HJ-NP-Za-km-z]{33}$/);
    const authorized = parseSecretKey(signer.stack!.state.authorizedSecretKey);
    const { body } = await request(`${signer.url}/authorized_keys`);
    expect(body).toEqual({ authorized_keys: [authorized.publicKey.pkh.encoded] });
  });

  test('passes the conformance suite', async () => {
    const report = await runConformance({ url: signer.url, pkh, authorizedSecretKey: signer.stack!.state.authorizedSecretKey });
    console.log(report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${c.ms.toFixed(1)} ms)`).join('\n'));
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.length).toBeGreaterThanOrEqual(12);
  });

  test('a restart keeps the keys and the watermarks', async () => {
    const key = parseSecretKey(signer.stack!.state.authorizedSecretKey);
    const target = { url: signer.url, pkh, authorizedSecretKey: key.encoded };
    const chainId = randomChainId();
    const hex = payloadHex({ kind: 'block', chainId, level: 500, round: 3 });
    const first = await signRequest(target, key, hex);
    expect(first.status).toBe(200);

    await signer.close();
    signer = await startSigner({ port: 0, host: '127.0.0.1', dataDir, bundle: BUNDLE });
    target.url = signer.url;
    expect(signer.stack!.created).toBe(false);
    const { body } = await request(`${signer.url}/known_keys`);
    expect(body).toEqual({ known_keys: [pkh] });

    const again = await signRequest(target, key, hex);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await signRequest(target, key, payloadHex({ kind: 'block', chainId, level: 500, round: 3, variant: 1 }));
    expect(other.status).toBe(409);
    expect(JSON.stringify(other.body)).toContain('level 500 round 3');
  });

  test('the same bundle on "real AWS" settings: endpoints from AWS_ENDPOINT_URL_*, keys and table by name', async () => {
    const key = parseSecretKey(signer.stack!.state.authorizedSecretKey);
    const remote = await startSigner({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      aws: { kmsKeyIds: signer.stack!.state.kmsKeyIds, tableName: 'tezos-signer-watermarks', region: 'us-east-1' },
      authorizedKeys: [key.publicKey.encoded],
      bundle: BUNDLE,
    });
    try {
      const report = await runConformance({ url: remote.url, pkh, authorizedSecretKey: key.encoded });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    } finally {
      await remote.close();
    }
  });
});
