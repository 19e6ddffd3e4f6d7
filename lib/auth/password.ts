import { availableParallelism } from 'node:os';
import { hash as argon2Hash, verify as argon2Verify, type Algorithm } from '@node-rs/argon2';
import { verify as bcryptVerify } from '@node-rs/bcrypt';

/**
 * Password hashes are argon2id (OWASP's parameters: 19 MiB, 2 passes). Both libraries are native
 * and hash on libuv's thread pool, never on the event loop, so a request that is not hashing is
 * not slowed by one that is. Hashes written by the earlier bcrypt version are still accepted, and
 * `needsRehash` tells the sign-in to replace them.
 *
 * At most MAX_CONCURRENT_HASHES run at once (they take a core each); a few more wait, and past
 * that a hash is refused at once (`HashingBusyError`) rather than queued without bound.
 */
export const MIN_PASSWORD_LENGTH = 12;

const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm, // Algorithm.Argon2id (a const enum, which isolatedModules cannot read)
  memoryCost: Number(process.env.ARGON2_MEMORY_KIB ?? 19_456),
  timeCost: Number(process.env.ARGON2_PASSES ?? 2),
  parallelism: 1,
} as const;

export const MAX_CONCURRENT_HASHES = Number(process.env.PASSWORD_HASH_CONCURRENCY ?? Math.max(1, Math.min(4, availableParallelism() - 1)));
export const MAX_WAITING_HASHES = MAX_CONCURRENT_HASHES * 8;

export class HashingBusyError extends Error {
  constructor() {
    super('Too many password checks at once; try again in a moment.');
    this.name = 'HashingBusyError';
  }
}

let running = 0;
const waiting: Array<() => void> = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) {
    if (waiting.length >= MAX_WAITING_HASHES) throw new HashingBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    return await work();
  } finally {
    // The slot passes straight to the next waiter, so `running` never drops below the queue's need.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => argon2Hash(password, ARGON2_OPTIONS));
}

const isBcrypt = (hash: string) => /^\$2[aby]\$\d\d\$/.test(hash);

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return withHashSlot(async () => {
    try {
      if (hash.startsWith('$argon2')) return await argon2Verify(hash, password);
      if (isBcrypt(hash)) return await bcryptVerify(password, hash);
    } catch {
      // A malformed stored hash matches nothing.
    }
    return false;
  });
}

/** A stored hash from an older scheme or weaker parameters: replace it after the next correct sign-in. */
export function needsRehash(hash: string): boolean {
  if (!hash.startsWith('$argon2id$')) return true;
  const params = /\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
  return !params || Number(params[1]) < ARGON2_OPTIONS.memoryCost || Number(params[2]) < ARGON2_OPTIONS.timeCost;
}

/** Test support: how many hashes are running and waiting now. */
export function hashingLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}
