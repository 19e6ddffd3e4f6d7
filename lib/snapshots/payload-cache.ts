import type { SnapshotPayload } from './payload';

/**
 * Frozen payloads kept in this server instance's memory, so a room of board members opening
 * one link costs a small indexed lookup each instead of a fetch and parse of the whole copy.
 * A snapshot's payload never changes once written, so an entry can never be stale; whether the
 * link may still be opened is checked against the database on every request, not here, because
 * serverless instances share no memory and a revocation must hold on the next request everywhere.
 */
const MAX_ENTRIES = 32;

interface Entry {
  contentHash: string;
  payload: SnapshotPayload;
}

const globalForCache = globalThis as unknown as { cxSnapshotPayloads?: Map<number, Entry> };
const entries = (globalForCache.cxSnapshotPayloads ??= new Map());

export const payloadCacheStats = { hits: 0, misses: 0 };

export function getCachedPayload(snapshotId: number, contentHash: string): SnapshotPayload | null {
  const entry = entries.get(snapshotId);
  if (!entry || entry.contentHash !== contentHash) {
    payloadCacheStats.misses += 1;
    return null;
  }
  // Re-insert to mark it most recently used.
  entries.delete(snapshotId);
  entries.set(snapshotId, entry);
  payloadCacheStats.hits += 1;
  return entry.payload;
}

export function cachePayload(snapshotId: number, contentHash: string, payload: SnapshotPayload): void {
  entries.delete(snapshotId);
  entries.set(snapshotId, { contentHash, payload });
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** Frees memory early on revocation; correctness never depends on it. */
export function forgetPayload(snapshotId: number): void {
  entries.delete(snapshotId);
}

export function clearPayloadCache(): void {
  entries.clear();
  payloadCacheStats.hits = 0;
  payloadCacheStats.misses = 0;
}
