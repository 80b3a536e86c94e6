// `check` names the broken part of a deployment from the signer's 503 message. The messages are the
// signer's own (lambda/src/watermark-store.ts, kms.ts): every one of them must map to a named part, so
// that a reworded message in the signer cannot silently turn check's line into a bare status.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { brokenPart } from '../../cli/commands/check.js';

const source = (file: string) => readFileSync(resolve(import.meta.dirname, '../../lambda/src', file), 'utf8');

/** The messages of `new UpstreamFailure(...)` in a file, with each `${…}` filled by "X". */
function upstreamMessages(file: string): string[] {
  return [...source(file).matchAll(/new UpstreamFailure\(\s*[`'](.*?)[`']\s*\)/g)].map((m) => m[1]!.replace(/\$\{[^}]*\}/g, 'X'));
}

describe('check: the broken part named from the signer answer', () => {
  test('every KMS and DynamoDB failure message of the signer maps to a named part', () => {
    const messages = [...upstreamMessages('watermark-store.ts'), ...upstreamMessages('kms.ts')];
    expect(messages.length).toBeGreaterThanOrEqual(6);
    for (const message of messages) expect(brokenPart(503, message), message).not.toMatch(/^HTTP 503/);
  });

  test('the table, its write permission and the key are told apart', () => {
    expect(brokenPart(503, 'DynamoDB read of the watermark failed: ResourceNotFoundException')).toMatch(/^the watermark table is missing or the signer role cannot read it/);
    expect(brokenPart(503, 'DynamoDB write of the watermark failed: AccessDeniedException; nothing was signed')).toMatch(/^the signer role cannot write the watermark table/);
    expect(brokenPart(503, 'KMS Sign failed: DisabledException; nothing was signed')).toMatch(/^KMS does not sign with the key: it is disabled/);
    expect(brokenPart(500, 'internal error')).toBe('HTTP 500: internal error');
  });
});
