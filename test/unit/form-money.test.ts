import { describe, expect, it } from 'vitest';
import { parseFormMoney } from '@/lib/validation/form-money';
import { validateRecord } from '@/lib/validation/records';

describe('parseFormMoney', () => {
  it.each([
    ['$1,200', '1200.00'],
    ['1,200.50', '1200.50'],
    ['1200', '1200.00'],
    [' $ 75.5 ', '75.50'],
    ['USD 1,234,567.89', '1234567.89'],
    ['€12', '12.00'],
    ['1 200', '1200.00'],
    ['0.07', '0.07'],
    ['999,999,999,999.99', '999999999999.99'],
  ])('reads %j as exactly %s', (typed, amount) => {
    expect(parseFormMoney(typed)).toEqual({ ok: true, amount });
  });

  it.each([
    ['', 'is required'],
    ['12.345', '3 decimal places'],
    ['12,50', 'uses a comma for cents'],
    ['1,2000', 'comma out of place'],
    ['12,00,000', 'comma out of place'],
    ['-40', 'is negative'],
    ['twelve', 'is not an amount'],
    ['1.2.3', 'is not an amount'],
    ['1e5', 'is not an amount'],
    ['1234567890123', 'too large'],
  ])('refuses %j and says why (%s)', (typed, why) => {
    const result = parseFormMoney(typed);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(why);
  });

  it('leaves files strict: a CSV cost of "$1,200" is still refused', () => {
    const result = validateRecord('spot-fixes', { spot_fix_id: 'x', occurred_on: '2025-01-02', issue: 'A', category: 'discount', cost: '$1,200', customer_id: 'C' });
    expect(result.ok).toBe(false);
  });
});
