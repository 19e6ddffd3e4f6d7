import { describe, expect, it } from 'vitest';
import { snapshotCreateSchema } from '@/lib/validation/snapshots';

const MARCH = '2025-03';

describe('the snapshot form', () => {
  it('validates the form: a title, a known period that has begun, an expiry of 1–365 days (30 by default)', () => {
    const ok = snapshotCreateSchema.safeParse({ period: MARCH, title: ' April board ', note: '', expiresInDays: '', passcode: '' });
    expect(ok.success && ok.data).toEqual({ period: MARCH, title: 'April board', note: null, expiresInDays: 30, passcode: null });
    const bad = snapshotCreateSchema.safeParse({ period: '2999-01', title: '', expiresInDays: '400', passcode: '123' });
    expect(bad.success).toBe(false);
    const fields = Object.keys(bad.error!.issues.reduce((acc, issue) => ({ ...acc, [String(issue.path[0])]: true }), {}));
    expect(fields.sort()).toEqual(['expiresInDays', 'passcode', 'period', 'title']);
    expect(snapshotCreateSchema.safeParse({ period: '2025-13', title: 'x' }).success).toBe(false);
    expect(snapshotCreateSchema.safeParse({ period: MARCH, title: 'x', expiresInDays: '0' }).success).toBe(false);
  });
});
