import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes: 256 bits from the operating system's cryptographic source. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new snapshot link token, base64url without padding (43 characters). */
export function generateSnapshotToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** What is stored instead of the token: its SHA-256, hex. */
export function hashSnapshotToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Rejects anything that could not have come from generateSnapshotToken before touching the database. */
export function isWellFormedSnapshotToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export function snapshotPath(token: string): string {
  return `/s/${token}`;
}
