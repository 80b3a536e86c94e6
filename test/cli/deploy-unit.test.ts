// deploy/tezos-signer.service, the systemd unit of `serve` on a baker host: it does not restart into a
// configuration error (RestartPreventExitStatus holds the codes of cli/command.ts), it carries the
// hardening deploy/README.md lists, its ExecStart uses only flags `serve --help` documents, and, where
// systemd-analyze exists, systemd accepts it and rates its exposure as the README says.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EXIT } from '../../cli/command.js';
import { BIN, ROOT, cli } from './run-cli.js';

const UNIT = join(ROOT, 'deploy/tezos-signer.service');

function settings(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) map.set(match[1]!, [...(map.get(match[1]!) ?? []), match[2]!]);
  }
  return map;
}

const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('deploy/tezos-signer.service', () => {
  test('no restart on a usage or configuration error; restarts otherwise, with a limit', async () => {
    const unit = settings(await readFile(UNIT, 'utf8'));
    expect(unit.get('RestartPreventExitStatus')?.[0]?.split(/\s+/).map(Number).sort()).toEqual([EXIT.usage, EXIT.config].sort());
    expect(unit.get('Restart')).toEqual(['on-failure']);
    expect(Number(unit.get('StartLimitBurst')?.[0])).toBeGreaterThan(0);
  });

  test('hardening: DynamicUser, ProtectSystem=strict, NoNewPrivileges, no capabilities', async () => {
    const unit = settings(await readFile(UNIT, 'utf8'));
    expect(unit.get('DynamicUser')).toEqual(['yes']);
    expect(unit.get('ProtectSystem')).toEqual(['strict']);
    expect(unit.get('NoNewPrivileges')).toEqual(['yes']);
    expect(unit.get('CapabilityBoundingSet')).toEqual(['']);
    expect(unit.has('MemoryDenyWriteExecute')).toBe(false); // Node's JIT
  });

  test('ExecStart: serve on loopback, mainnet only, with flags serve --help documents', async () => {
    const exec = settings(await readFile(UNIT, 'utf8')).get('ExecStart')![0]!.split(/\s+/);
    expect(exec.slice(1, 2)).toEqual(['serve']);
    expect(exec.join(' ')).toContain('--host 127.0.0.1');
    expect(exec.join(' ')).toContain('--allowed-chain-id NetXdQprcVkpaWU');
    const help = (await cli(['serve', '--help'])).stdout;
    for (const flag of exec.filter((a) => a.startsWith('--'))) expect(help).toContain(`  ${flag} `);
  });

  test.skipIf(!hasAnalyze)('systemd-analyze verify accepts it; its offline security rating is at most 2.0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signer-unit-'));
    try {
      // The unit with the checkout's binary in place of /usr/local/bin/tezos-signer (verify checks it exists).
      const file = join(dir, 'tezos-signer.service');
      await writeFile(file, (await readFile(UNIT, 'utf8')).replace('/usr/local/bin/tezos-signer', BIN));
      const verify = spawnSync('systemd-analyze', ['verify', '--man=no', file], { encoding: 'utf8' });
      expect({ status: verify.status, stderr: verify.stderr }).toEqual({ status: 0, stderr: '' });
      const security = spawnSync('systemd-analyze', ['--offline=true', 'security', '--threshold=20', file], { encoding: 'utf8' });
      expect(security.status, security.stdout.split('\n').slice(-3).join('\n')).toBe(0);
      expect(security.stdout).toMatch(/Overall exposure level for tezos-signer\.service: 1\.7 OK/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  if (!hasAnalyze) console.log('skipped: systemd-analyze is not on this machine; the unit was checked by its settings only');
});
