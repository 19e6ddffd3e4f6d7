import { describe, expect, it } from 'vitest';
import { MAX_ROW_ID, parseRowId, rowIdSchema } from '@/lib/validation/ids';
import { auditFilterSchema, isoDateSchema, newOwnersFromForm, personIdSchema } from '@/lib/validation/admin';
import { snapshotIdSchema } from '@/lib/validation/snapshots';
import { actionStatusSchema } from '@/lib/validation/commentary';

describe('row ids from URLs and forms', () => {
  it('accepts whole numbers from 1 to 2³¹−1', () => {
    expect(parseRowId('1')).toBe(1);
    expect(parseRowId(' 42 ')).toBe(42);
    expect(parseRowId(7)).toBe(7);
    expect(parseRowId(String(MAX_ROW_ID))).toBe(2_147_483_647);
  });

  it.each(['2147483648', '99999999999', '0', '-1', '01', '1.5', '1e3', '', 'abc', '١٢'])('refuses %j', (value) => {
    expect(parseRowId(value)).toBeNull();
  });

  it('refuses what is not text or a number', () => {
    for (const value of [null, undefined, {}, [], 2 ** 31, 1.5, Number.NaN]) expect(parseRowId(value)).toBeNull();
  });

  it('says what to choose when a form sends a bad id', () => {
    const result = rowIdSchema('No such snapshot').safeParse('99999999999');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('No such snapshot');
    expect(snapshotIdSchema.safeParse('2147483648').success).toBe(false);
    expect(personIdSchema.safeParse({ id: '99999999999' }).success).toBe(false);
    expect(actionStatusSchema.safeParse({ id: '3000000000', status: 'done' }).success).toBe(false);
    expect(actionStatusSchema.safeParse({ id: '3', status: 'done' }).data).toEqual({ id: 3, status: 'done' });
  });

  it('refuses a successor id out of range, naming the field', () => {
    const form = new FormData();
    form.set('newOwner.retention', '99999999999');
    expect(newOwnersFromForm(form)).toEqual({ ok: false, field: 'newOwner.retention', message: 'Choose a new owner from the list' });
  });
});

describe('dates in filters and forms', () => {
  it('refuses a day that does not exist in the audit filter, saying which date', () => {
    const result = auditFilterSchema.safeParse({ from: '2025-02-30' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('The from date must be a real day written as YYYY-MM-DD');
    expect(auditFilterSchema.safeParse({ from: '2024-02-29', to: '2025-12-31' }).success).toBe(true);
    expect(auditFilterSchema.safeParse({ actor: '99999999999' }).success).toBe(false);
  });

  it('refuses impossible dates in forms without throwing', () => {
    for (const value of ['2025-02-30', '2025-13-01', '2025-99-99', '2025-00-10']) {
      expect(isoDateSchema.safeParse(value).success).toBe(false);
    }
    expect(isoDateSchema.safeParse('2024-02-29').success).toBe(true);
  });
});
