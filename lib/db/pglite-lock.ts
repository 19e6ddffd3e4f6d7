import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * PGlite has no guard of its own: two processes on one data directory corrupt it.
 * A lock file beside the directory records the holder, so a second process can refuse
 * with a message that names it instead of touching the data.
 */
export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database at ${dataDir} is in use by process ${holder.pid} ` +
        `(${holder.command}, since ${holder.startedAt}). ` +
        'Only one process may open it at a time: stop that process first, ' +
        'or point both at a PostgreSQL server with DATABASE_URL.',
    );
    this.name = 'DatabaseLockedError';
  }
}

export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
}

export function lockPathFor(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.lock`);
}

function isAlive(holder: LockHolder): boolean {
  // A lock from another machine (a shared volume) cannot be checked: treat it as held.
  if (holder.hostname !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/** Takes the lock for this process or throws DatabaseLockedError. Returns the release function. */
export function acquirePgliteLock(dataDir: string): () => void {
  const lockPath = lockPathFor(dataDir);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const me: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    command: process.argv.slice(1).map((a) => path.basename(a)).join(' ') || 'node',
    startedAt: new Date().toISOString(),
  };

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx' });
      const release = () => {
        if (readHolder(lockPath)?.pid === process.pid) fs.rmSync(lockPath, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      if (holder && holder.pid === process.pid && holder.hostname === me.hostname) {
        throw new Error(`This process already holds the embedded database at ${dataDir}; reuse its connection.`);
      }
      if (holder && isAlive(holder)) throw new DatabaseLockedError(dataDir, holder);
      // The holder died without cleaning up: the lock is stale.
      fs.rmSync(lockPath, { force: true });
    }
  }
  const holder = readHolder(lockPath);
  throw holder ? new DatabaseLockedError(dataDir, holder) : new Error(`Could not lock ${dataDir}`);
}
