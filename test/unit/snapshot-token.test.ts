import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '@/lib/snapshots/content-hash';
import { PASSCODE_GRANT_SECONDS, signPasscodeGrant, verifyPasscodeGrant } from '@/lib/snapshots/passcode';
import { generateSnapshotToken, hashSnapshotToken, isWellFormedSnapshotToken } from '@/lib/snapshots/token';

describe('snapshot link tokens', () => {
  it('are 256 random bits written as 43 base64url characters', () => {
    const token = generateSnapshotToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(isWellFormedSnapshotToken(token)).toBe(true);
  });

  it('never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateSnapshotToken));
    expect(tokens.size).toBe(1000);
  });

  it('are stored as their SHA-256, which does not contain the token', () => {
    const token = generateSnapshotToken();
    const hash = hashSnapshotToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashSnapshotToken(token)).toBe(hash);
  });

  it('refuses malformed tokens before any lookup', () => {
    for (const bad of ['', 'abc', `${generateSnapshotToken()}x`, '../../etc/passwd', 'a'.repeat(42) + '=']) {
      expect(isWellFormedSnapshotToken(bad)).toBe(false);
    }
  });
});

describe('the content hash', () => {
  it('does not depend on the order of object keys', () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } };
    const b = { a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[1,{"x":1,"y":2}]},"b":1}');
    expect(contentHash(a)).toBe(contentHash(b));
  });

  it('changes when any value changes, and survives a JSON round trip', () => {
    const payload = { value: 0.9807692307692307, money: '49060.38', list: [null, 1e-7] };
    expect(contentHash(JSON.parse(JSON.stringify(payload)))).toBe(contentHash(payload));
    expect(contentHash({ ...payload, money: '49060.39' })).not.toBe(contentHash(payload));
    expect(contentHash(payload)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('passcode grants', () => {
  const subject = { id: 7, tokenHash: 'a'.repeat(64), passcodeHash: '$2b$04$abc' };
  process.env.AUTH_SECRET ??= 'unit-test-secret-0123456789';

  it('accepts a grant it signed, until it expires', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const grant = signPasscodeGrant(subject, now);
    expect(verifyPasscodeGrant(grant, subject, now)).toBe(true);
    expect(verifyPasscodeGrant(grant, subject, new Date(now.getTime() + (PASSCODE_GRANT_SECONDS - 1) * 1000))).toBe(true);
    expect(verifyPasscodeGrant(grant, subject, new Date(now.getTime() + PASSCODE_GRANT_SECONDS * 1000))).toBe(false);
  });

  it('refuses a grant for another snapshot, a re-issued link or a changed passcode', () => {
    const grant = signPasscodeGrant(subject);
    expect(verifyPasscodeGrant(grant, { ...subject, id: 8 })).toBe(false);
    expect(verifyPasscodeGrant(grant, { ...subject, tokenHash: 'b'.repeat(64) })).toBe(false);
    expect(verifyPasscodeGrant(grant, { ...subject, passcodeHash: '$2b$04$abd' })).toBe(false);
  });

  it('refuses tampered or missing values', () => {
    const grant = signPasscodeGrant(subject);
    const [expiry, signature] = grant.split('.');
    expect(verifyPasscodeGrant(`${Number(expiry) + 3600}.${signature}`, subject)).toBe(false);
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect(verifyPasscodeGrant(`${expiry}.${flipped}`, subject)).toBe(false);
    expect(verifyPasscodeGrant(undefined, subject)).toBe(false);
    expect(verifyPasscodeGrant('garbage', subject)).toBe(false);
  });
});
