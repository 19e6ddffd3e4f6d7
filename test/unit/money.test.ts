import { describe, expect, it } from 'vitest';
import {
  addMoney,
  compareMoney,
  decimalToMoney,
  formatMoney,
  fromCents,
  InvalidMoneyError,
  isZeroMoney,
  moneyRatio,
  multiplyMoney,
  subtractMoney,
  sumMoney,
  toCents,
} from '@/lib/metrics/money';

describe('money', () => {
  it('adds 0.10 and 0.20 to exactly 0.30', () => {
    expect(0.1 + 0.2).not.toBe(0.3); // the floating-point trap this module exists to avoid
    expect(addMoney('0.10', '0.20')).toBe('0.30');
  });

  it('sums a hundred thousand cents to exactly 1000.00', () => {
    expect(sumMoney(Array.from({ length: 100_000 }, () => '0.01'))).toBe('1000.00');
  });

  it('sums many mixed amounts to the cent', () => {
    // 1000 × (0.10 + 19.99 + 0.33) = 1000 × 20.42
    const values = Array.from({ length: 1000 }, () => ['0.10', '19.99', '0.33']).flat();
    expect(sumMoney(values)).toBe('20420.00');
  });

  it('sums nothing to 0.00', () => {
    expect(sumMoney([])).toBe('0.00');
  });

  it('writes every amount with exactly two places', () => {
    expect(formatMoney('5')).toBe('5.00');
    expect(formatMoney('0.1')).toBe('0.10');
    expect(formatMoney('007.50')).toBe('7.50');
    expect(formatMoney('-3.5')).toBe('-3.50');
    expect(fromCents(0n)).toBe('0.00');
    expect(fromCents(-1n)).toBe('-0.01');
  });

  it('keeps amounts beyond the range of exact floating point exact', () => {
    expect(addMoney('90071992547409.93', '0.01')).toBe('90071992547409.94');
    expect(toCents('123456789012345.67')).toBe(12345678901234567n);
  });

  it('subtracts and compares exactly', () => {
    expect(subtractMoney('0.30', '0.10')).toBe('0.20');
    expect(subtractMoney('1.00', '2.50')).toBe('-1.50');
    expect(compareMoney('40000.00', '40000')).toBe(0);
    expect(compareMoney('40000.01', '40000.00')).toBe(1);
    expect(compareMoney('-0.01', '0.00')).toBe(-1);
    expect(isZeroMoney('0.00')).toBe(true);
    expect(isZeroMoney('-0')).toBe(true);
    expect(isZeroMoney('0.01')).toBe(false);
  });

  it('multiplies by whole numbers only', () => {
    expect(multiplyMoney('40000.00', 3)).toBe('120000.00');
    expect(multiplyMoney('0.10', 12)).toBe('1.20');
    expect(() => multiplyMoney('1.00', 1.5)).toThrow(RangeError);
  });

  it('refuses anything that is not a decimal with at most two places', () => {
    for (const bad of ['', 'abc', '1.234', '1,000.00', '1e3', '.50', '1.', 'NaN', '+1.00']) {
      expect(() => toCents(bad), bad).toThrow(InvalidMoneyError);
    }
  });

  it('scales a four-place decimal before rounding it half away from zero to cents', () => {
    expect(decimalToMoney('40000.0000')).toBe('40000.00');
    expect(decimalToMoney('40000.0000', 12)).toBe('480000.00');
    // 333.3333 × 3 = 999.9999 → 1000.00 (rounding first would give 999.99)
    expect(decimalToMoney('333.3333', 3)).toBe('1000.00');
    expect(decimalToMoney('0.0050')).toBe('0.01');
    expect(decimalToMoney('0.0049')).toBe('0.00');
    expect(decimalToMoney('-0.0050')).toBe('-0.01');
    expect(decimalToMoney('-0.0049')).toBe('0.00');
    expect(decimalToMoney('12')).toBe('12.00');
    expect(decimalToMoney('1.5', -2)).toBe('-3.00');
  });

  it('gives a share of two amounts, undefined when the whole is zero', () => {
    expect(moneyRatio('45050.00', '49060.38')).toBe(4505000 / 4906038);
    expect(moneyRatio('0.00', '10.00')).toBe(0);
    expect(moneyRatio('0.00', '0.00')).toBeNull();
  });
});
