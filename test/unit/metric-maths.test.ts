import { describe, expect, it } from 'vitest';
import { classifyScore, netPromoterScore, promoterMarginOfError, recommendationRate } from '@/lib/metrics/recommendation';
import { retentionCounts, retentionRate } from '@/lib/metrics/retention';

describe('classifyScore', () => {
  it('makes 9–10 promoters, 7–8 passives and 0–6 detractors', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(classifyScore)).toEqual([
      ...Array(7).fill('detractor'),
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
  });

  it('refuses scores outside 0–10 or not whole', () => {
    for (const bad of [-1, 11, 6.5, Number.NaN]) expect(() => classifyScore(bad)).toThrow(RangeError);
  });
});

describe('recommendationRate', () => {
  it('is promoters over responses, undefined without responses', () => {
    expect(recommendationRate(31, 77)).toBe(31 / 77);
    expect(recommendationRate(0, 5)).toBe(0);
    expect(recommendationRate(0, 0)).toBeNull();
  });
});

describe('netPromoterScore', () => {
  it('is unrounded: pages round, the JSON keeps every digit', () => {
    // (31 − 23) / 77 × 100 = 10.3896…
    expect(netPromoterScore(31, 23, 77)).toBeCloseTo(10.38961038961039, 12);
    expect(netPromoterScore(1, 0, 8)).toBe(12.5);
    expect(netPromoterScore(1, 2, 8)).toBe(-12.5);
    expect(netPromoterScore(1, 0, 3)).toBeCloseTo(33.333333333333336, 12);
    expect(netPromoterScore(0, 1, 800)).toBe(-0.125);
  });

  it('spans −100 to 100 and never gives −0', () => {
    expect(netPromoterScore(5, 0, 5)).toBe(100);
    expect(netPromoterScore(0, 5, 5)).toBe(-100);
    expect(Object.is(netPromoterScore(3, 3, 7), 0)).toBe(true);
  });

  it('is undefined without responses', () => {
    expect(netPromoterScore(0, 0, 0)).toBeNull();
  });
});

describe('promoterMarginOfError', () => {
  it('is the adjusted-Wald 95% half-width', () => {
    // ñ = 77 + 1.96² = 80.8416; p̃ = (31 + 1.9208) / ñ = 0.40722…; 1.96 × √(p̃(1 − p̃)/ñ) = 0.10710…
    const margin = promoterMarginOfError(31, 77)!;
    expect(margin).toBeCloseTo(0.1071, 4);
    const n = 77 + 1.96 ** 2;
    const p = (31 + 1.96 ** 2 / 2) / n;
    expect(margin).toBe(1.96 * Math.sqrt((p * (1 - p)) / n));
  });

  it('stays above zero when every or no response is a promoter', () => {
    expect(promoterMarginOfError(0, 10)!).toBeGreaterThan(0);
    expect(promoterMarginOfError(10, 10)!).toBeCloseTo(promoterMarginOfError(0, 10)!, 12);
  });

  it('narrows as responses grow', () => {
    expect(promoterMarginOfError(500, 1000)!).toBeLessThan(promoterMarginOfError(5, 10)!);
    expect(promoterMarginOfError(500, 1000)!).toBeCloseTo(0.031, 3);
  });

  it('is undefined without responses', () => {
    expect(promoterMarginOfError(0, 0)).toBeNull();
  });
});

describe('retention', () => {
  it('is retained over S, undefined when S is 0', () => {
    expect(retentionRate(253, 258)).toBe(253 / 258);
    expect(retentionRate(0, 4)).toBe(0);
    expect(retentionRate(0, 0)).toBeNull();
  });

  it('derives S and retained from running totals', () => {
    // 9 acquired before the start; 4 churned by the start, none of them acquired on it;
    // 6 churned by the end, 1 of them acquired within the period.
    expect(
      retentionCounts({
        acquiredBeforeStart: 9,
        churnedByStart: 4,
        churnedByEnd: 6,
        acquiredAndChurnedOnStart: 0,
        acquiredWithinAndChurnedByEnd: 1,
      }),
    ).toEqual({ start: 5, retained: 4 });
  });
});
