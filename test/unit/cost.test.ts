// The cost model (`npm run cost`): a line per service, the totals add up, and the figures move the way
// the assumptions say they should.
import { describe, expect, test } from 'vitest';
import { DEFAULTS, loadPrices, monthly } from '../../scripts/cost.js';

describe('cost model', () => {
  const prices = loadPrices();

  test('a line per service for each exposure, the exposure-specific ones only where they belong', () => {
    const url = monthly(prices, DEFAULTS, 'function_url').map((l) => l.service);
    for (const s of ['Lambda requests', 'Lambda compute (arm64)', 'KMS keys', 'KMS Sign', 'DynamoDB reads', 'DynamoDB writes', 'CloudWatch Logs']) expect(url).toContain(s);
    expect(url.some((s) => s.startsWith('API Gateway'))).toBe(false);
    expect(monthly(prices, DEFAULTS, 'http_api').map((l) => l.service)).toContain('API Gateway HTTP API');
    const vpc = monthly(prices, DEFAULTS, 'private_rest_api').map((l) => l.service);
    expect(vpc).toContain('API Gateway REST API (private)');
    expect(vpc).toContain('VPC interface endpoints');
  });

  test('mainnet pace: 864,000 consensus signatures plus blocks; KMS Sign priced per 10,000', () => {
    const lines = monthly(prices, { ...DEFAULTS, blockShare: 0 }, 'function_url');
    const sign = lines.find((l) => l.service === 'KMS Sign')!;
    expect(sign.detail).toContain('0.864 M');
    expect(sign.usd).toBeCloseTo((864_000 / 10_000) * prices.kms.asymmetric_sign_per_10k, 6);
    // every signing request is preceded by GET /authorized_keys
    expect(lines.find((l) => l.service === 'Lambda requests')!.usd).toBeCloseTo(1.728 * prices.lambda.request_per_million, 6);
  });

  test('15-second blocks cost 6/15 of the per-request lines', () => {
    const at6 = monthly(prices, DEFAULTS, 'function_url').find((l) => l.service === 'DynamoDB writes')!.usd;
    const at15 = monthly(prices, { ...DEFAULTS, blockSeconds: 15 }, 'function_url').find((l) => l.service === 'DynamoDB writes')!.usd;
    expect(at15 / at6).toBeCloseTo(6 / 15, 9);
  });
});
