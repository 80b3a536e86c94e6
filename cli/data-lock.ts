// One process at a time per data folder. The embedded DynamoDB (dynalite on LevelDB) allows a single
// opener, and a second one fails inside dynalite, outside any code that could catch it ("Database is
// closed", a stack trace). So whoever opens it first writes <dir>/serve.lock with its pid, and anyone
// else checks that file before opening the database. A lock left by a process that died is taken over.
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'serve.lock';

/** The folder is in use by a live process: the message says what to do. */
export class DataDirBusy extends Error {
  override readonly name = 'DataDirBusy';
  constructor(
    readonly dir: string,
    readonly pid: number,
    readonly holder: string,
  ) {
    super(`a running serve holds ${dir} (${holder}, pid ${pid}): stop it first (Ctrl-C in its terminal, or kill ${pid})`);
  }
}

export interface DataLock {
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  holder: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<LockContent | undefined> {
  try {
    const content = JSON.parse(await readFile(file, 'utf8')) as Partial<LockContent>;
    return typeof content.pid === 'number' ? { pid: content.pid, holder: String(content.holder ?? 'tezos-signer') } : undefined;
  } catch {
    return undefined; // absent, or half-written by a process that died: not a live holder
  }
}

/** The live holder of `dir`'s lock, as the error to throw, or undefined when the folder is free. */
export async function holderOf(dir: string): Promise<DataDirBusy | undefined> {
  const held = await readLock(join(dir, LOCK_FILE));
  return held !== undefined && alive(held.pid) ? new DataDirBusy(dir, held.pid, held.holder) : undefined;
}

/**
 * Takes the lock of `dir` (which must exist) for `holder`, e.g. "tezos-signer serve"; throws
 * DataDirBusy when a live process holds it. Nothing else is created.
 */
export async function lockDataDir(dir: string, holder: string): Promise<DataLock> {
  const file = join(dir, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, holder } satisfies LockContent) + '\n';
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, content, { flag: 'wx', mode: 0o600 });
      return {
        release: async () => {
          const now = await readLock(file);
          if (now?.pid === process.pid) await unlink(file).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = await readLock(file);
    if (held !== undefined && alive(held.pid)) throw new DataDirBusy(dir, held.pid, held.holder);
    await unlink(file).catch(() => undefined); // stale: its process is gone
  }
  const held = await readLock(file);
  throw new DataDirBusy(dir, held?.pid ?? 0, held?.holder ?? 'another process');
}
