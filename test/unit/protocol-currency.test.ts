// Protocol currency (issue 15): the parser names the one protocol its layouts were checked against
// (CHECKED_PROTOCOL in lambda/src/operation.ts). This fails, with a message saying what to do, when a
// fixture claims another protocol, when a fixture holding consensus payloads claims none, when the
// parser cites an octez protocol newer than CHECKED_PROTOCOL, or when the manual names another one. A
// protocol upgrade is therefore visible in one place: change CHECKED_PROTOCOL after re-reading the
// sources, and this lists everything else to re-check.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECKED_PROTOCOL } from '../../lambda/src/operation.js';

const root = resolve(import.meta.dirname, '../..');
const FIXTURES = 'test/fixtures';
const OCTEZ_DIR = /^proto_(\d{3})_([1-9A-HJ-NP-Za-km-z]{8})$/;

interface Checked {
  readonly number: number;
  readonly octez: string;
}

/** Strings anywhere in a JSON value that are consensus payloads (hex starting with 0x11, 0x12 or 0x13). */
function consensusPayloads(value: unknown): string[] {
  if (typeof value === 'string') return /^1[123](?:[0-9a-f]{2}){40,}$/i.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(consensusPayloads);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(consensusPayloads);
  return [];
}

/** What is wrong with the fixtures' protocol claims; empty when they are current. */
function fixtureProblems(fixtures: ReadonlyArray<{ file: string; json: unknown }>, checked: Checked): string[] {
  const problems: string[] = [];
  for (const { file, json } of fixtures) {
    const claim = (json as { protocol?: unknown }).protocol;
    if (claim === undefined) {
      if (consensusPayloads(json).length > 0) problems.push(`${file} holds consensus payloads but claims no protocol: add "protocol": "${checked.octez}" once its bytes are checked against that protocol`);
      continue;
    }
    const m = typeof claim === 'string' ? OCTEZ_DIR.exec(claim) : null;
    if (!m) {
      problems.push(`${file}: protocol ${JSON.stringify(claim)} is not an octez protocol directory name such as ${checked.octez}`);
      continue;
    }
    const number = Number(m[1]);
    if (number < checked.number) {
      problems.push(`${file} claims ${claim}, older than ${checked.octez}, the protocol lambda/src/operation.ts is checked against: re-check its bytes against ${checked.octez}'s encodings, then update its "protocol"`);
    } else if (number > checked.number || claim !== checked.octez) {
      problems.push(`${file} claims ${claim}, but lambda/src/operation.ts is checked against ${checked.octez}: check the parser against ${claim} and update CHECKED_PROTOCOL first`);
    }
  }
  return problems;
}

/** What is wrong with the parser's citations: a cited numbered protocol newer than the checked one. */
function citationProblems(source: string, checked: Checked): string[] {
  const cited = [...source.matchAll(/\bproto_(\d{3})_([1-9A-HJ-NP-Za-km-z]{8})\b/g)].map((m) => ({ name: m[0], number: Number(m[1]) }));
  const problems: string[] = [];
  if (cited.length === 0) problems.push('lambda/src/operation.ts cites no octez protocol directory');
  for (const c of cited) {
    if (c.number > checked.number) problems.push(`lambda/src/operation.ts cites ${c.name}, newer than CHECKED_PROTOCOL (${checked.octez}): update CHECKED_PROTOCOL, the fixtures and docs/protocols.md together`);
    if (c.number === checked.number && c.name !== checked.octez) problems.push(`lambda/src/operation.ts cites ${c.name}, not ${checked.octez}`);
  }
  if (!cited.some((c) => c.name === checked.octez)) problems.push(`lambda/src/operation.ts never cites ${checked.octez}, the protocol it claims to be checked against`);
  return problems;
}

const fixtures = readdirSync(join(root, FIXTURES))
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: `${FIXTURES}/${f}`, json: JSON.parse(readFileSync(join(root, FIXTURES, f), 'utf8')) as unknown }));

describe('protocol currency', () => {
  test('CHECKED_PROTOCOL is one octez protocol: its directory, number and hash agree', () => {
    const m = OCTEZ_DIR.exec(CHECKED_PROTOCOL.octez);
    expect(m, CHECKED_PROTOCOL.octez).not.toBeNull();
    expect(Number(m![1])).toBe(CHECKED_PROTOCOL.number);
    expect(CHECKED_PROTOCOL.hash.startsWith(m![2]!)).toBe(true);
    expect(CHECKED_PROTOCOL.hash).toMatch(/^P[1-9A-HJ-NP-Za-km-z]{50}$/);
  });

  test('every fixture with consensus payloads claims the protocol the parser is checked against', () => {
    expect(fixtures.map((f) => f.file)).toContain(`${FIXTURES}/consensus-operations.json`);
    expect(fixtureProblems(fixtures, CHECKED_PROTOCOL)).toEqual([]);
  });

  test('the parser cites no octez protocol newer than CHECKED_PROTOCOL, and cites that one', () => {
    const source = readFileSync(join(root, 'lambda/src/operation.ts'), 'utf8');
    expect(citationProblems(source, CHECKED_PROTOCOL)).toEqual([]);
  });

  test('the README and docs/protocols.md name the protocol the signer was checked against', () => {
    for (const doc of ['README.md', 'docs/protocols.md']) {
      const text = readFileSync(join(root, doc), 'utf8');
      expect(text, doc).toContain(CHECKED_PROTOCOL.hash);
      expect(text, doc).toContain(CHECKED_PROTOCOL.name);
    }
  });

  // The checks above can fail: what a stale fixture, a missing claim or a newer citation looks like.
  test('a stale or missing claim, and a newer citation, are reported with what to do', () => {
    const attestation = '13' + '00'.repeat(79);
    const problems = fixtureProblems(
      [
        { file: 'old.json', json: { protocol: 'proto_024_PtTALLiN', vectors: { a: { hex: attestation } } } },
        { file: 'none.json', json: { vectors: { a: { hex: attestation } } } },
        { file: 'keys.json', json: { note: 'no payloads', keys: ['0123'] } },
        { file: 'new.json', json: { protocol: 'proto_026_PtNextPr' } },
        { file: 'odd.json', json: { protocol: 'Ushuaia' } },
      ],
      { number: 25, octez: 'proto_025_PsUshuai' },
    );
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^old\.json claims proto_024_PtTALLiN, older than proto_025_PsUshuai.*re-check its bytes/);
    expect(problems[1]).toMatch(/^none\.json holds consensus payloads but claims no protocol/);
    expect(problems[2]).toMatch(/^new\.json claims proto_026_PtNextPr, .*update CHECKED_PROTOCOL first/);
    expect(problems[3]).toMatch(/^odd\.json: protocol "Ushuaia" is not an octez protocol directory name/);
    expect(citationProblems('see src/proto_026_PtNextPr/lib_protocol/x.ml and proto_025_PsUshuai', { number: 25, octez: 'proto_025_PsUshuai' })).toEqual([
      'lambda/src/operation.ts cites proto_026_PtNextPr, newer than CHECKED_PROTOCOL (proto_025_PsUshuai): update CHECKED_PROTOCOL, the fixtures and docs/protocols.md together',
    ]);
    expect(citationProblems('src/proto_024_PtTALLiN only', { number: 25, octez: 'proto_025_PsUshuai' })).toEqual([
      'lambda/src/operation.ts never cites proto_025_PsUshuai, the protocol it claims to be checked against',
    ]);
  });
});
