import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and no white space, so the same content always
 * gives the same bytes (and hash), whatever order its keys were built or stored in — jsonb
 * reorders keys, so hashing JSON.stringify of a read-back payload would not match.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeys(item);
    }
    return sorted;
  }
  return value;
}

/** SHA-256 of the canonical JSON, hex: printed in a snapshot's footer so a copy can be checked. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/** The short form shown in footers (the full hash is in the page's data too). */
export function shortHash(hash: string): string {
  return hash.slice(0, 16);
}
