// The bad-input matrix, through the committed bundle in a signer process over HTTP, on dynalite and the
// local KMS: each input with the status and the message fragment the README documents.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import vectors from '../fixtures/consensus-operations.json' with { type: 'json' };
import { PREFIX, b58encode } from '../../lambda/src/base58.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { authenticationBytes } from '../../lambda/src/auth.js';
import { blake2b256 } from '../../lambda/src/hash.js';
import { parseKeyHash, type PublicKey } from '../../lambda/src/keys.js';
import { decodeSignature, verifySignature } from '../../lambda/src/signature.js';
import { authenticationFor, secretKeyFromBytes } from '../../local/secret-keys.js';
import { highSTwin } from '../support/fuzz-model.js';
import { payload } from '../support/payloads.js';
import { startSignerProcess, type SignerProcess } from '../support/processes.js';
import { httpClient, startSafetyStack, type SafetyStack } from '../support/safety-stack.js';

// The consensus key is created in the local KMS when the suite starts: rows that depend on its pkh are
// functions of it. The authorized key is the crypto.json one, whose fixture authentications are checked
// in the control test below.
const authorized = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.authorized_tz2.secret_hex));
const stranger = secretKeyFromBytes('secp256k1', fromHex('11'.repeat(32)));
let consensusKey: PublicKey;
const signerPkh = () => consensusKey.pkh.encoded;
const chainId = fromHex('0badc0de');
const auth = (bytes: Uint8Array, target = signerPkh(), key = authorized) => authenticationFor(key, parseKeyHash(target)!, bytes);
const hexOf = (bytes: Uint8Array) => toHex(bytes);
const tz1SameHash = () => b58encode(PREFIX.tz1, consensusKey.pkh.hash);
const unknownTz2 = b58encode(PREFIX.tz2, new Uint8Array(20).fill(9));
const c3 = fromHex(vectors.vectors['signatory-integration/C3'].hex);

interface Row {
  name: string;
  method?: string;
  path?: string | (() => string);
  /** Raw body text; a payload's JSON string by default. */
  body?: string;
  bytes?: Uint8Array;
  /** Made when the row runs: authentications are for the created key's pkh. */
  query?: () => string;
  status: number;
  fragment: RegExp;
}

function withTag(tag: number): Uint8Array {
  const bytes = payload({ kind: 'attestation', chainId, level: 9, round: 0 });
  bytes[37] = tag;
  return bytes;
}

const block = payload({ kind: 'block', chainId, level: 50, round: 0 });

/** The block with a 37-byte fitness: a 4-byte locked round after the level element (offset 87 + 13). */
function withLockedRound(locked: number): Uint8Array {
  const b = payload({ kind: 'block', chainId, level: 51, round: 2 });
  const value = new Uint8Array(8);
  new DataView(value.buffer).setInt32(0, 4, false);
  new DataView(value.buffer).setInt32(4, locked, false);
  const out = Uint8Array.from([...b.subarray(0, 100), ...value, ...b.subarray(104)]);
  new DataView(out.buffer).setInt32(83, 37, false);
  return out;
}
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
  { name: 'unknown pkh (authenticated for it): 404 after authentication', path: `/keys/${unknownTz2}`, bytes: attestation, query: () => `authentication=${auth(attestation, unknownTz2)}`, status: 404, fragment: new RegExp(`no key ${unknownTz2}`) },
  { name: 'pkh of another curve, same hash (authenticated for it): 404', path: () => `/keys/${tz1SameHash()}`, bytes: attestation, query: () => `authentication=${auth(attestation, tz1SameHash())}`, status: 404, fragment: /no key tz1/ },
  { name: 'pkh of another curve with the tz2 authentication: 403', path: () => `/keys/${tz1SameHash()}`, bytes: attestation, query: () => `authentication=${auth(attestation)}`, status: 403, fragment: /authentication refused/ },
  { name: 'not a pkh: 400', path: '/keys/tz9notakey', bytes: attestation, status: 400, fragment: /not a tz1, tz2 or tz3 address/ },
  { name: 'missing authentication: 401', bytes: attestation, query: () => '', status: 401, fragment: /missing authentication/ },
  { name: 'empty authentication: 401', bytes: attestation, query: () => 'authentication=', status: 401, fragment: /missing authentication/ },
  { name: 'malformed authentication: 400', bytes: attestation, query: () => 'authentication=spsig1notbase58check', status: 400, fragment: /not a base58 signature/ },
  { name: 'authentication given twice: 400', bytes: attestation, query: () => `authentication=${auth(attestation)}&authentication=${auth(attestation)}`, status: 400, fragment: /more than once/ },
  { name: 'authentication for other bytes: 403', bytes: attestation, query: () => `authentication=${auth(block)}`, status: 403, fragment: /authentication refused/ },
  { name: 'authentication for another pkh: 403', bytes: attestation, query: () => `authentication=${auth(attestation, unknownTz2)}`, status: 403, fragment: /authentication refused/ },
  { name: 'authentication by a key that is not authorized: 403', bytes: attestation, query: () => `authentication=${auth(attestation, signerPkh(), stranger)}`, status: 403, fragment: /authentication refused/ },
  { name: 'high-S twin of a valid authentication: 403', bytes: c3, query: () => `authentication=${highSTwin(auth(c3))!}`, status: 403, fragment: /authentication refused/ },
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
  // Issue 9: the fitness rules of Tezos' Fitness_repr, and inputs bounded before any decoding (a request
  // line of 16 KB or more is refused by Node's HTTP parser itself, 431, before the handler; 8 KB reach it).
  { name: 'block with a negative locked round: 400', bytes: withLockedRound(-1), status: 400, fragment: /negative locked round -1/ },
  { name: 'an 8 KB path: 400 before any decoding', path: `/keys/${'3'.repeat(8000)}`, status: 400, fragment: /rawPath of 8006 characters; the limit is 1024/ },
  { name: 'an 8 KB authentication: 400 before any decoding', query: () => `authentication=${'3'.repeat(8000)}`, status: 400, fragment: /rawQueryString of 8015 characters; the limit is 1024/ },
  { name: 'PUT on a key: 405', method: 'PUT', bytes: attestation, status: 405, fragment: /PUT not allowed/ },
  { name: 'unknown path: 404', method: 'GET', path: '/nothing/here', status: 404, fragment: /no route/ },
];

describe('bad input through the committed bundle over HTTP', () => {
  let stack: SafetyStack;
  let signer: SignerProcess;
  const client = httpClient(8);

  beforeAll(async () => {
    stack = await startSafetyStack({ consensusKeys: { 'bad-input-tz2': 'secp256k1' }, authorizedKeys: [authorized.publicKey.encoded] });
    consensusKey = stack.consensus.get('bad-input-tz2')!.publicKey;
    signer = await startSignerProcess(stack.signerOptions);
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
    const query = row.query ? row.query() : `authentication=${auth(bytes)}`;
    const path = typeof row.path === 'function' ? row.path() : (row.path ?? `/keys/${signerPkh()}`);
    const answer = await client.send(signer.url, { method: row.method ?? 'POST', path: `${path}${query ? `?${query}` : ''}`, ...(body !== undefined ? { body } : {}) });
    expect(answer.status, answer.text).toBe(row.status);
    expect(answer.body).toEqual([{ kind: 'temporary', id: 'failure', msg: expect.stringMatching(row.fragment) }]);
  });

  test('nothing was signed or recorded by any of them', async () => {
    expect(stack.kms.stats.sign).toBe(0);
    expect((await stack.scan()).size).toBe(0);
  });

  test('control: the low-S authentication of the same payload is accepted and signed; its high-S twin is that signature but for S', async () => {
    const authentication = auth(c3);
    const twin = decodeSignature(highSTwin(authentication)!)!;
    const message = blake2b256(authenticationBytes(consensusKey.pkh, c3));
    // The refused twin is a valid signature to a verifier that accepts high S: only the low-S rule refuses it.
    expect(twin.bytes).not.toEqual(decodeSignature(authentication)!.bytes);
    expect(secp256k1.verify(twin.bytes, message, authorized.publicKey.bytes, { prehash: false, lowS: false })).toBe(true);
    // The crypto.json pair, at the fixture's pkh (a key this signer does not hold): the low-S vector passes
    // authentication (404, no such key), its high-S twin does not (403).
    const fixture = crypto.authentication.for_consensus_tz2;
    const atFixture = (a: string) => client.send(signer.url, { path: `/keys/${crypto.keys.consensus_tz2.pkh}?authentication=${a}`, body: JSON.stringify(hexOf(c3)) });
    expect((await atFixture(fixture.authentication)).status).toBe(404);
    expect((await atFixture(fixture.high_s_twin_must_fail)).status).toBe(403);
    const answer = await client.send(signer.url, { path: `/keys/${signerPkh()}?authentication=${authentication}`, body: JSON.stringify(hexOf(c3)) });
    expect(answer.status, answer.text).toBe(200);
    const signature = (answer.body as { signature: string }).signature;
    expect(signature).toMatch(/^spsig1/);
    expect(verifySignature(consensusKey, blake2b256(c3), decodeSignature(signature)!.bytes)).toBe(true);
  });
});
