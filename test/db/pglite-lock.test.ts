import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '@/lib/db';
import { DatabaseLockedError, lockPathFor } from '@/lib/db/pglite-lock';

const root = path.resolve(import.meta.dirname, '../..');

/** Starts another process that opens the embedded database and keeps it open until killed. */
async function holdInAnotherProcess(dataDir: string) {
  // `node --import tsx` keeps it one process, so its pid is the one the lock names.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/hold-pglite.ts', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => String(chunk).includes('holding') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

describe('the embedded database lock', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-lock-'));
    dirs.push(dir);
    return path.join(dir, 'pglite');
  };
  afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('refuses a second process with a message naming the holder, and leaves the data untouched', async () => {
    const dataDir = tempDir();
    const holder = await holdInAnotherProcess(dataDir);
    try {
      const before = fs.readdirSync(dataDir).sort();
      const attempt = createDb({ driver: 'pglite', dataDir });
      await expect(attempt).rejects.toBeInstanceOf(DatabaseLockedError);
      await expect(attempt).rejects.toThrow(
        new RegExp(`in use by process ${holder.pid} \\(.*hold-pglite.*\\).*stop that process first`),
      );
      expect(fs.readdirSync(dataDir).sort()).toEqual(before);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a lock left behind by a process that died', async () => {
    const dataDir = tempDir();
    const holder = await holdInAnotherProcess(dataDir);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('exit', resolve));
    expect(fs.existsSync(lockPathFor(dataDir))).toBe(true);
    const handle = await createDb({ driver: 'pglite', dataDir });
    await handle.close();
    expect(fs.existsSync(lockPathFor(dataDir))).toBe(false);
  });
});
