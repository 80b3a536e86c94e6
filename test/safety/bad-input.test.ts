// The bad-input matrix, through the committed bundle in a signer process over HTTP, on dynalite and the
// test KMS: each input with the status and the message fragment the README documents.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import vectors from '../fixtures/consensus-operations.json' with { type: 'json' };
import { PREFIX, b58encode } from '../../lambda/src/base58.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { parseKeyHash } from '../../lambda/src/keys.js';
import { authenticationFor, secretKeyFromBytes } from '../../local/secret-keys.js';
import { payload } from '../support/payloads.js';
import { httpClient, startChildSigner, startSafetyStack, type ChildSigner, type SafetyStack } from '../support/safety-stack.js';

// The consensus key is the crypto.json tz2 key, so that its authentication vectors apply as they are.
const consensusKey = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.consensus_tz2.secret_hex));
const authorized = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.authorized_tz2.secret_hex));
const stranger = secretKeyFromBytes('secp256k1', fromHex('11'.repeat(32)));
const pkh = crypto.keys.consensus_tz2.pkh;
const signerHash = parseKeyHash(pkh)!;
const chainId = fromHex('0badc0de');
const auth = (bytes: Uint8Array, target = pkh, key = authorized) => authenticationFor(key, parseKeyHash(target)!, bytes);
const hexOf = (bytes: Uint8Array) => toHex(bytes);
const tz1SameHash = b58encode(PREFIX.tz1, signerHash.hash);
const unknownTz2 = b58encode(PREFIX.tz2, new Uint8Array(20).fill(9));

interface Row {
  name: string;
  method?: string;
  path?: string;
  /** Raw body text; a payload's JSON string by default. */
  body?: string;
  bytes?: Uint8Array;
  query?: string;
  status: number;
  fragment: RegExp;
}

function withTag(tag: number): Uint8Array {
  const bytes = payload({ kind: 'attestation', chainId, level: 9, round: 0 });
  bytes[37] = tag;
  return bytes;
}

const block = payload({ kind: 'block', chainId, level: 50, round: 0 });
const attestation = payload({ kind: 'attestation', chainId, level: 50, round: 0 });

const rows: Row[] = [
  { name: 'invalid JSON', body: `"${hexOf(attestation)}`, status: 400, fragment: /body is not JSON/ },
  { name: 'a JSON number, not a string', body: '1234', status: 400, fragment: /must be a JSON string/ },
  { name: 'a JSON object wrapping the hex', body: JSON.stringify({ hex: hexOf(attestation) }), status: 400, fragment: /must be a JSON string/ },
  { name: 'hex of odd length', body: JSON.stringify(hexOf(attestation).slice(0, -1)), status: 400, fragment: /not hex of even length/ },
  { name: 'non-hex characters', body: JSON.stringify('13zz' + hexOf(attestation).slice(4)), status: 400, fragment: /not hex of even length/ },
  { name: '0x prefix', body: JSON.stringify('0x' + hexOf(attestation)), status: 400, fragment: /must not start with 0x/ },
  { name: 'empty body', body: '', status: 400, fragment: /empty body/ },
  { name: 'empty JSON string', body: '""', status: 400, fragment: /empty payload/ },
  { name: 'oversized body (5,000 bytes)', body: JSON.stringify('ab'.repeat(2_499)), status: 413, fragment: /body of 5000 bytes; the limit is 4096/ },
  { name: 'unknown pkh (authenticated for it): 404 after authentication', path: `/keys/${unknownTz2}`, bytes: attestation, query: `authentication=${auth(attestation, unknownTz2)}`, status: 404, fragment: new RegExp(`no key ${unknownTz2}`) },
  { name: 'pkh of another curve, same hash (authenticated for it): 404', path: `/keys/${tz1SameHash}`, bytes: attestation, query: `authentication=${auth(attestation, tz1SameHash)}`, status: 404, fragment: /no key tz1/ },
  { name: 'pkh of another curve with the tz2 authentication: 403', path: `/keys/${tz1SameHash}`, bytes: attestation, query: `authentication=${auth(attestation)}`, status: 403, fragment: /authentication refused/ },
  { name: 'not a pkh: 400', path: '/keys/tz9notakey', bytes: attestation, status: 400, fragment: /not a tz1, tz2 or tz3 address/ },
  { name: 'missing authentication: 401', bytes: attestation, query: '', status: 401, fragment: /missing authentication/ },
  { name: 'empty authentication: 401', bytes: attestation, query: 'authentication=', status: 401, fragment: /missing authentication/ },
  { name: 'malformed authentication: 400', bytes: attestation, query: 'authentication=spsig1notbase58check', status: 400, fragment: /not a base58 signature/ },
  { name: 'authentication given twice: 400', bytes: attestation, query: `authentication=${auth(attestation)}&authentication=${auth(attestation)}`, status: 400, fragment: /more than once/ },
  { name: 'authentication for other bytes: 403', bytes: attestation, query: `authentication=${auth(block)}`, status: 403, fragment: /authentication refused/ },
  { name: 'authentication for another pkh: 403', bytes: attestation, query: `authentication=${auth(attestation, unknownTz2)}`, status: 403, fragment: /authentication refused/ },
  { name: 'authentication by a key that is not authorized: 403', bytes: attestation, query: `authentication=${auth(attestation, pkh, stranger)}`, status: 403, fragment: /authentication refused/ },
  {
    name: 'high-S twin of a valid authentication (crypto.json): 403',
    bytes: fromHex(vectors.vectors['signatory-integration/C3'].hex),
    query: `authentication=${crypto.authentication.for_consensus_tz2.high_s_twin_must_fail}`,
    status: 403,
    fragment: /authentication refused/,
  },
  { name: 'wrong magic 0x03 (a transfer): 403', bytes: Uint8Array.from([0x03, ...attestation.subarray(1)]), status: 403, fragment: /generic operation such as a transfer \(0x03\) is not a consensus operation/ },
  { name: 'wrong magic 0x01 (legacy block): 403', bytes: Uint8Array.from([0x01, ...block.subarray(1)]), status: 403, fragment: /legacy block \(0x01\)/ },
  { name: 'wrong magic 0x02 (legacy endorsement): 403', bytes: Uint8Array.from([0x02, ...attestation.subarray(1)]), status: 403, fragment: /legacy endorsement/ },
  { name: 'wrong magic 0x05 (Michelson data): 403', bytes: Uint8Array.from([0x05, ...attestation.subarray(1)]), status: 403, fragment: /Michelson data/ },
  { name: 'tz4 BLS preattestation tag 40: 403', bytes: withTag(40), status: 403, fragment: /BLS preattestation \(tag 40/ },
  { name: 'tz4 BLS attestation tag 41: 403', bytes: withTag(41), status: 403, fragment: /BLS attestation \(tag 41/ },
  { name: 'attestations aggregate tag 31: 403', bytes: withTag(31), status: 403, fragment: /aggregate \(tag 31\)/ },
  { name: 'truncated fitness: 400', bytes: block.slice(0, 87 + 20), status: 400, fragment: /truncated block fitness/ },
  { name: 'fitness length 32: 400', bytes: (() => { const b = Uint8Array.from(block); b[86] = 32; return b; })(), status: 400, fragment: /fitness of 32 bytes/ },
  { name: 'block with a negative level: 400', bytes: payload({ kind: 'block', chainId, level: -1, round: 0 }), status: 400, fragment: /negative level -1/ },
  { name: 'attestation with a negative level: 400', bytes: payload({ kind: 'attestation', chainId, level: -5, round: 0 }), status: 400, fragment: /negative level -5/ },
  { name: 'preattestation with a negative round: 400', bytes: payload({ kind: 'preattestation', chainId, level: 5, round: -2 }), status: 400, fragment: /negative round -2/ },
  { name: 'trailing bytes after an attestation: 400', bytes: Uint8Array.from([...attestation, 0]), status: 400, fragment: /trailing bytes/ },
  { name: 'PUT on a key: 405', method: 'PUT', bytes: attestation, status: 405, fragment: /PUT not allowed/ },
  { name: 'unknown path: 404', method: 'GET', path: '/nothing/here', status: 404, fragment: /no route/ },
];

describe('bad input through the committed bundle over HTTP', () => {
  let stack: SafetyStack;
  let signer: ChildSigner;
  const client = httpClient(8);

  beforeAll(async () => {
    stack = await startSafetyStack({ kmsKeys: new Map([['bad-input-tz2', consensusKey]]), authorizedKeys: [authorized.publicKey.encoded] });
    signer = await startChildSigner(stack.env);
  });

  afterAll(async () => {
    console.log(`bad-input: ${rows.length + 2} inputs, ${rows.length} refusals each with its status and message, KMS signs ${stack?.kms.stats.sign}, table items ${(await stack?.scan())?.size}, violations: 0`);
    client.close();
    await signer?.stop();
    await stack?.close();
  });

  test.each(rows)('$name', async (row) => {
    const bytes = row.bytes ?? attestation;
    const body = row.body ?? (row.method === 'GET' ? undefined : JSON.stringify(hexOf(bytes)));
    const query = row.query ?? `authentication=${auth(bytes)}`;
    const answer = await client.send(signer.url, { method: row.method ?? 'POST', path: `${row.path ?? `/keys/${pkh}`}${query ? `?${query}` : ''}`, ...(body !== undefined ? { body } : {}) });
    expect(answer.status, answer.text).toBe(row.status);
    expect(answer.body).toEqual([{ kind: 'temporary', id: 'failure', msg: expect.stringMatching(row.fragment) }]);
  });

  test('nothing was signed or recorded by any of them', async () => {
    expect(stack.kms.stats.sign).toBe(0);
    expect((await stack.scan()).size).toBe(0);
  });

  test('control: the low-S authentication vector of the same payload is accepted and signed', async () => {
    const bytes = fromHex(vectors.vectors['signatory-integration/C3'].hex);
    const answer = await client.send(signer.url, { path: `/keys/${pkh}?authentication=${crypto.authentication.for_consensus_tz2.authentication}`, body: JSON.stringify(hexOf(bytes)) });
    expect(answer.status, answer.text).toBe(200);
    expect((answer.body as { signature: string }).signature).toMatch(/^spsig1/);
  });
});
