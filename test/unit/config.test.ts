// Configuration from the environment (lambda/src/config.ts): a signer that cannot tell who may call it
// or which keys it serves must not start, and the error lists every problem at once.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PREFIX, b58encode } from '../../lambda/src/base58.js';
import { fromHex } from '../../lambda/src/bytes.js';
import { MAX_ED25519_AUTHORIZED_KEYS } from '../../lambda/src/candidates.js';
import { ConfigError, loadConfig } from '../../lambda/src/config.js';
import { CRYPTO, encodedPkh, encodedPublicKey, testKey } from './helpers.js';

const ed = testKey('ed25519');
const good = {
  SIGNER_KMS_KEY_IDS: 'arn:aws:kms:eu-west-1:111122223333:key/abc, key-2',
  SIGNER_TABLE_NAME: 'tezos-signer-watermarks',
  SIGNER_AUTHORIZED_KEYS: `${CRYPTO.keys.authorized_tz2.public_key},${CRYPTO.keys.consensus_tz3.public_key}, ${encodedPublicKey(ed)}`,
  SIGNER_ALLOWED_CHAIN_IDS: 'NetXdQprcVkpaWU',
  AWS_LAMBDA_FUNCTION_NAME: 'baker-signer',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).name).toBe('ConfigError');
    const [head, ...lines] = (error as Error).message.split('\n');
    expect(head).toBe('invalid signer configuration:');
    for (const line of lines) expect(line.startsWith('- ')).toBe(true);
    return lines.map((l) => l.slice(2));
  }
  throw new Error('the configuration was accepted');
}

describe('a good configuration', () => {
  test('parses, trimmed', () => {
    const config = loadConfig(good);
    expect(config.kmsKeyIds).toEqual(['arn:aws:kms:eu-west-1:111122223333:key/abc', 'key-2']);
    expect(config.tableName).toBe('tezos-signer-watermarks');
    expect(config.authorizedKeys.map((k) => k.pkh.encoded)).toEqual([CRYPTO.keys.authorized_tz2.pkh, CRYPTO.keys.consensus_tz3.pkh, encodedPkh(ed)]);
    expect(config.authorizedKeys.map((k) => k.curve)).toEqual(['secp256k1', 'p256', 'ed25519']);
    expect([...config.allowedChainIds!]).toEqual(['NetXdQprcVkpaWU']);
    expect(config.metricsNamespace).toBe('TezosSigner');
    expect(config.functionName).toBe('baker-signer');
  });

  test('chains: empty or missing means any chain; several are a set', () => {
    expect(loadConfig({ ...good, SIGNER_ALLOWED_CHAIN_IDS: '' }).allowedChainIds).toBeUndefined();
    expect(loadConfig({ ...good, SIGNER_ALLOWED_CHAIN_IDS: undefined }).allowedChainIds).toBeUndefined();
    expect(loadConfig({ ...good, SIGNER_ALLOWED_CHAIN_IDS: ' , ' }).allowedChainIds).toBeUndefined();
    expect([...loadConfig({ ...good, SIGNER_ALLOWED_CHAIN_IDS: 'NetXdQprcVkpaWU,NetXo5iVw1vBoxM' }).allowedChainIds!]).toEqual(['NetXdQprcVkpaWU', 'NetXo5iVw1vBoxM']);
  });

  test('namespace and function name: defaults and overrides', () => {
    expect(loadConfig({ ...good, SIGNER_METRICS_NAMESPACE: ' Bakers/Signer ' }).metricsNamespace).toBe('Bakers/Signer');
    expect(loadConfig({ ...good, SIGNER_METRICS_NAMESPACE: '  ' }).metricsNamespace).toBe('TezosSigner');
    expect(loadConfig({ ...good, AWS_LAMBDA_FUNCTION_NAME: undefined }).functionName).toBe('local');
  });

  test('table names DynamoDB accepts', () => {
    for (const name of ['abc', 'a.b-c_d', 'x'.repeat(255), '  padded  ']) expect(loadConfig({ ...good, SIGNER_TABLE_NAME: name }).tableName).toBe(name.trim());
  });
});

describe('refused configurations', () => {
  test('no authorized key: the signer refuses to start', () => {
    for (const value of [undefined, '', ' ', ' , ', ',,']) {
      expect(problems({ ...good, SIGNER_AUTHORIZED_KEYS: value })).toEqual([
        'SIGNER_AUTHORIZED_KEYS is empty: without an authorized key anyone could ask for signatures; give at least one edpk/sppk/p2pk',
      ]);
    }
  });

  test('bad authorized keys, each named', () => {
    const offCurve = b58encode(PREFIX.sppk, Uint8Array.of(0x02, ...new Uint8Array(32).fill(0xff)));
    const p = problems({ ...good, SIGNER_AUTHORIZED_KEYS: `${CRYPTO.keys.authorized_tz2.public_key},tz1abc,${CRYPTO.keys.consensus_tz2.pkh},${offCurve},edpkNOPE` });
    expect(p).toHaveLength(4);
    expect(p[0]).toContain('"tz1abc"');
    expect(p[1]).toContain(CRYPTO.keys.consensus_tz2.pkh);
    expect(p[2]).toMatch(/not a point on secp256k1/);
    expect(p[3]).toContain('edpkNOPE');
    for (const line of p) expect(line.startsWith('SIGNER_AUTHORIZED_KEYS: ')).toBe(true);
  });

  test(`more than MAX_ED25519_AUTHORIZED_KEYS (${MAX_ED25519_AUTHORIZED_KEYS}) Ed25519 keys: refused (each costs every forged authentication a check); ECDSA keys have no limit`, () => {
    const eds = (count: number) => Array.from({ length: count }, () => encodedPublicKey(testKey('ed25519')));
    const ecdsa = Array.from({ length: 20 }, (_, i) => encodedPublicKey(testKey(i % 2 ? 'secp256k1' : 'p256')));
    expect(loadConfig({ ...good, SIGNER_AUTHORIZED_KEYS: [...eds(MAX_ED25519_AUTHORIZED_KEYS), ...ecdsa].join(',') }).authorizedKeys).toHaveLength(MAX_ED25519_AUTHORIZED_KEYS + 20);
    expect(problems({ ...good, SIGNER_AUTHORIZED_KEYS: [...eds(MAX_ED25519_AUTHORIZED_KEYS + 1), ...ecdsa].join(',') })).toEqual([
      `SIGNER_AUTHORIZED_KEYS: ${MAX_ED25519_AUTHORIZED_KEYS + 1} edpk keys, at most ${MAX_ED25519_AUTHORIZED_KEYS}`,
    ]);
  });

  test('the Terraform variable authorized_keys refuses the same number of edpk keys', () => {
    const variables = readFileSync(new URL('../../variables.tf', import.meta.url), 'utf8');
    const bound = /startswith\(key, "edpk"\)\]\) <= (\d+)/.exec(variables);
    expect(Number(bound?.[1])).toBe(MAX_ED25519_AUTHORIZED_KEYS);
    expect(variables).toContain(`At most ${MAX_ED25519_AUTHORIZED_KEYS} Ed25519 (edpk) authorized keys`);
  });

  test('a secret key given as an authorized key is refused and not repeated in the error (it is logged)', () => {
    const secret = b58encode(PREFIX.spsk, fromHex(CRYPTO.keys.authorized_tz2.secret_hex));
    const p = problems({ ...good, SIGNER_AUTHORIZED_KEYS: secret });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/secret key/);
    expect(p.join('\n')).not.toContain(secret.slice(4));
    expect(p.join('\n')).not.toContain(secret.slice(6, 20));
  });

  test('bad chain ids, each named', () => {
    const p = problems({ ...good, SIGNER_ALLOWED_CHAIN_IDS: 'mainnet,NetXdQprcVkpaWU,NetXdQprcVkpaWV,7a06a770' });
    expect(p).toEqual([
      'SIGNER_ALLOWED_CHAIN_IDS: "mainnet" is not a chain id (Net…)',
      'SIGNER_ALLOWED_CHAIN_IDS: "NetXdQprcVkpaWV" is not a chain id (Net…)',
      'SIGNER_ALLOWED_CHAIN_IDS: "7a06a770" is not a chain id (Net…)',
    ]);
  });

  test('bad table names', () => {
    for (const name of [undefined, '', 'ab', 'my table', 'tábla', 'x'.repeat(256), 'a/b']) {
      expect(problems({ ...good, SIGNER_TABLE_NAME: name })).toEqual(['SIGNER_TABLE_NAME is missing or not a DynamoDB table name']);
    }
  });

  test('no KMS key, or one named twice', () => {
    expect(problems({ ...good, SIGNER_KMS_KEY_IDS: undefined })).toEqual(['SIGNER_KMS_KEY_IDS is empty: name at least one KMS key id or ARN']);
    expect(problems({ ...good, SIGNER_KMS_KEY_IDS: ' , ' })).toEqual(['SIGNER_KMS_KEY_IDS is empty: name at least one KMS key id or ARN']);
    expect(problems({ ...good, SIGNER_KMS_KEY_IDS: 'a, b ,a' })).toEqual(['SIGNER_KMS_KEY_IDS names a key twice']);
  });

  test('every problem is listed at once', () => {
    const p = problems({ SIGNER_KMS_KEY_IDS: 'a,a', SIGNER_TABLE_NAME: 'x', SIGNER_AUTHORIZED_KEYS: 'edpkNOPE,tz1abc', SIGNER_ALLOWED_CHAIN_IDS: 'mainnet' });
    expect(p).toHaveLength(5);
    const text = p.join('\n');
    for (const part of ['names a key twice', 'SIGNER_TABLE_NAME', 'edpkNOPE', 'tz1abc', '"mainnet" is not a chain id']) expect(text).toContain(part);
  });

  test('an empty environment lists the three required variables', () => {
    const p = problems({});
    expect(p).toHaveLength(3);
    expect(p.join('\n')).toMatch(/SIGNER_KMS_KEY_IDS[\s\S]*SIGNER_TABLE_NAME[\s\S]*SIGNER_AUTHORIZED_KEYS/);
  });
});
