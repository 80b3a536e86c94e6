// Configuration from the environment, and the two Lambda event formats.
import { describe, expect, test } from 'vitest';
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import { ConfigError, loadConfig } from '../../lambda/src/config.js';
import { requestFromEvent, route } from '../../lambda/src/http.js';
import { logLine } from '../../lambda/src/telemetry.js';

const good = {
  SIGNER_KMS_KEY_IDS: 'arn:aws:kms:eu-west-1:111122223333:key/abc, key-2',
  SIGNER_TABLE_NAME: 'tezos-signer-watermarks',
  SIGNER_AUTHORIZED_KEYS: `${crypto.keys.authorized_tz2.public_key},${crypto.keys.consensus_tz3.public_key}`,
  SIGNER_ALLOWED_CHAIN_IDS: 'NetXdQprcVkpaWU',
};

describe('configuration', () => {
  test('a good configuration', () => {
    const config = loadConfig(good);
    expect(config.kmsKeyIds).toEqual(['arn:aws:kms:eu-west-1:111122223333:key/abc', 'key-2']);
    expect(config.authorizedKeys.map((k) => k.pkh.encoded)).toEqual([crypto.keys.authorized_tz2.pkh, crypto.keys.consensus_tz3.pkh]);
    expect([...config.allowedChainIds!]).toEqual(['NetXdQprcVkpaWU']);
    expect(config.metricsNamespace).toBe('TezosSigner');
    expect(loadConfig({ ...good, SIGNER_ALLOWED_CHAIN_IDS: '' }).allowedChainIds).toBeUndefined();
  });

  test('no authorized key: the signer refuses to start', () => {
    for (const value of [undefined, '', ' , ']) {
      expect(() => loadConfig({ ...good, SIGNER_AUTHORIZED_KEYS: value })).toThrow(/SIGNER_AUTHORIZED_KEYS is empty/);
    }
  });

  test('every problem is listed at once', () => {
    let error: unknown;
    try {
      loadConfig({ SIGNER_KMS_KEY_IDS: 'a,a', SIGNER_TABLE_NAME: 'x', SIGNER_AUTHORIZED_KEYS: 'edpkNOPE,tz1abc', SIGNER_ALLOWED_CHAIN_IDS: 'mainnet' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const part of ['names a key twice', 'SIGNER_TABLE_NAME', 'edpkNOPE', 'tz1abc', '"mainnet" is not a chain id']) expect(message).toContain(part);
  });
});

describe('events', () => {
  test('payload 2.0 (Function URL, HTTP API): raw path, raw query, base64 body', () => {
    const r = requestFromEvent(
      { version: '2.0', rawPath: '/prod/keys/tz2x', rawQueryString: 'authentication=abc&x=1', requestContext: { requestId: 'r1', http: { method: 'post' } }, body: Buffer.from('"11"').toString('base64'), isBase64Encoded: true },
      'fallback',
    );
    expect(r).toMatchObject({ method: 'POST', path: '/prod/keys/tz2x', body: '"11"', requestId: 'r1' });
    expect(r.query.get('authentication')).toEqual(['abc']);
  });

  test('payload 1.0 (REST API): path, multi-value query', () => {
    const r = requestFromEvent(
      { httpMethod: 'POST', path: '/keys/tz2x', multiValueQueryStringParameters: { authentication: ['a', 'b'] }, queryStringParameters: { authentication: 'b' }, body: '"11"', requestContext: { requestId: 'r2' } },
      'fallback',
    );
    expect(r.query.get('authentication')).toEqual(['a', 'b']);
    expect(r.method).toBe('POST');
  });

  test('routes match the end of the path, whatever the stage or base path', () => {
    expect(route('/authorized_keys')).toEqual({ name: 'authorized_keys' });
    expect(route('/v1/signer/keys/tz2abc/')).toEqual({ name: 'key', pkh: 'tz2abc' });
    expect(route('/prod/known_keys')).toEqual({ name: 'known_keys' });
    expect(route('/keys')).toEqual({ name: 'none' });
    expect(() => route('/keys/%E0%A4%A')).toThrow(/percent-encoding/);
  });

  test('the EMF block names the metrics and dimensions of docs/interfaces.md', () => {
    const line = logLine({ requestId: 'r', method: 'POST', route: 'key', status: 409, outcome: 'refused', reason: 'watermark', kind: 'block', dynamoDbMs: 3 }, 'TezosSigner', 'fn', 1000) as {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    } & Record<string, unknown>;
    const metrics = line._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => [m.Name, d.Dimensions]));
    expect(metrics).toEqual([
      ['WatermarkRefusals', [['FunctionName']]],
      ['DynamoDbLatency', [['FunctionName']]],
      ['Refusals', [['FunctionName'], ['FunctionName', 'Reason']]],
    ]);
    expect(line).toMatchObject({ FunctionName: 'fn', Reason: 'watermark', WatermarkRefusals: 1, Refusals: 1, DynamoDbLatency: 3, level: 'WARN' });
  });
});
