import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A correct passcode earns a short-lived grant cookie, scoped to the snapshot's path and signed
 * with AUTH_SECRET. The signature covers the link's token hash and the passcode's hash, so
 * re-issuing the link or changing the passcode makes every earlier grant worthless.
 */
export const PASSCODE_GRANT_SECONDS = 8 * 60 * 60;
export const MIN_PASSCODE_LENGTH = 6;

export interface PasscodeGrantSubject {
  id: number;
  tokenHash: string;
  passcodeHash: string;
}

/** One name for every snapshot: each grant cookie is scoped to its own link's path. */
export const PASSCODE_COOKIE = 'cx_snapshot_pass';

function secret(): string {
  const value = process.env.AUTH_SECRET;
  if (!value) throw new Error('AUTH_SECRET is not set: it signs snapshot passcode grants.');
  return value;
}

function signature(subject: PasscodeGrantSubject, expiresAtSeconds: number): string {
  return createHmac('sha256', secret())
    .update(`snapshot-passcode:${subject.id}:${subject.tokenHash}:${subject.passcodeHash}:${expiresAtSeconds}`)
    .digest('base64url');
}

export function signPasscodeGrant(subject: PasscodeGrantSubject, now: Date = new Date()): string {
  const expiresAtSeconds = Math.floor(now.getTime() / 1000) + PASSCODE_GRANT_SECONDS;
  return `${expiresAtSeconds}.${signature(subject, expiresAtSeconds)}`;
}

export function verifyPasscodeGrant(value: string | undefined, subject: PasscodeGrantSubject, now: Date = new Date()): boolean {
  if (!value) return false;
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return false;
  const expiresAtSeconds = Number(match[1]);
  if (expiresAtSeconds * 1000 <= now.getTime()) return false;
  const expected = Buffer.from(signature(subject, expiresAtSeconds));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
