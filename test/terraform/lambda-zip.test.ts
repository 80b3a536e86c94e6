// The function's code is the committed lambda/dist/handler.zip (lambda.tf: filename +
// filebase64sha256), not a zip built at plan time: it must hold exactly the committed bundle, and
// rebuilding it must give the same bytes (else every plan would show a code change).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_ZIP, lambdaZip } from '../../scripts/build.mjs';
import { crc32, readStoredZip, storedZip } from '../../scripts/zip.mjs';
import { moduleAt, repoRoot } from './lib/tf.js';

const bundle = readFileSync(join(repoRoot, 'lambda/dist/handler.mjs'));
const zip = readFileSync(join(repoRoot, LAMBDA_ZIP));

describe('lambda/dist/handler.zip', () => {
  it('holds exactly handler.mjs, equal to the committed bundle, stored, mode 0644, fixed 1980-01-01 timestamp', () => {
    const entries = readStoredZip(zip);
    expect(entries.map((e) => e.name)).toEqual(['handler.mjs']);
    const [entry] = entries;
    expect(entry!.method).toBe(0);
    expect(entry!.mode).toBe(0o100644);
    expect(entry!.crcOk).toBe(true);
    expect([entry!.dosDate, entry!.dosTime]).toEqual([(1 << 5) | 1, 0]);
    expect(Buffer.compare(entry!.content, bundle), 'handler.zip is stale: run npm run build').toBe(0);
  });

  it('is byte-identical to a rebuild from the bundle (else run npm run build and commit it)', () => {
    const rebuilt = lambdaZip(bundle);
    expect(Buffer.compare(rebuilt, zip)).toBe(0);
    expect(Buffer.compare(lambdaZip(bundle), rebuilt)).toBe(0);
    console.log(`handler.zip: ${zip.length} bytes, sha256 ${createHash('sha256').update(zip).digest('base64')} (what filebase64sha256 gives)`);
  });

  it('the zip writer is a correct zip: CRC-32 check value, and another content gives another zip', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const other = storedZip('handler.mjs', Buffer.from('export const handler = 1;\n'));
    expect(readStoredZip(other)[0]!.content.toString()).toBe('export const handler = 1;\n');
    expect(Buffer.compare(other, zip)).not.toBe(0);
  });

  it('the function uses the committed zip with filebase64sha256, and no archive provider is left', async () => {
    const root = await moduleAt('.');
    expect(root.locals.lambda_zip).toBe('${path.module}/lambda/dist/handler.zip');
    expect(root.resource.aws_lambda_function!.this).toMatchObject({
      filename: '${local.lambda_zip}',
      source_code_hash: '${filebase64sha256(local.lambda_zip)}',
    });
    expect(root.data.archive_file).toBeUndefined();
  });
});
