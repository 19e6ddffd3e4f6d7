import { describe, expect, it } from 'vitest';
import { niceTicks } from '@/app/ui/charts/ticks';
import { trendGeometry } from '@/app/ui/charts/trend-geometry';

const BOX = { width: 100, height: 50, padX: 0, padY: 5 };

describe('trendGeometry', () => {
  it('spreads the periods across the width and keeps the line and the target inside the box', () => {
    const g = trendGeometry([0.9, 0.95, 1], 0.97, BOX);
    expect(g.dots.map((d) => d.x)).toEqual([0, 50, 100]);
    for (const y of [...g.dots.map((d) => d.y), g.targetY]) {
      expect(y).toBeGreaterThanOrEqual(g.top);
      expect(y).toBeLessThanOrEqual(g.bottom);
    }
    // Higher values sit higher (smaller y).
    expect(g.dots[2].y).toBeLessThan(g.dots[0].y);
    expect(g.path).toBe(`M0 ${g.dots[0].y}L50 ${g.dots[1].y}L100 ${g.dots[2].y}`);
  });

  it('breaks the line where a value is undefined instead of drawing it as zero', () => {
    const g = trendGeometry([0.5, null, 0.6, 0.7], 0.5, BOX);
    expect(g.dots.map((d) => d.index)).toEqual([0, 2, 3]);
    expect(g.path.match(/M/g)).toHaveLength(2);
    expect(g.path).not.toContain('NaN');
  });

  it('includes a target far from the data in the range', () => {
    const g = trendGeometry([10, 12, 11], 40, BOX);
    expect(g.max).toBeGreaterThan(40);
    expect(g.targetY).toBeLessThan(g.dots[0].y);
  });

  it('draws a flat series, a single point and an empty series without dividing by zero', () => {
    const flat = trendGeometry([5, 5, 5], 5, BOX);
    expect(new Set(flat.dots.map((d) => d.y)).size).toBe(1);
    expect(flat.targetY).toBe(flat.dots[0].y);
    expect(trendGeometry([3], 2, BOX).dots).toEqual([{ index: 0, x: 50, y: expect.any(Number) }]);
    const empty = trendGeometry([null, null], 0.5, BOX);
    expect(empty.path).toBe('');
    expect(Number.isFinite(empty.targetY)).toBe(true);
  });
});

describe('niceTicks', () => {
  it('spans the values with round steps', () => {
    expect(niceTicks([0.981, 0.9835, 0.99])).toEqual([0.98, 0.9825, 0.985, 0.9875, 0.99]);
    expect(niceTicks([0.27, 0.45, 0.59])).toEqual([0.2, 0.3, 0.4, 0.5, 0.6]);
    // A flat series still gets an axis around its value.
    expect(niceTicks([5, 5])).toEqual([4, 6]);
  });

  it('gives nothing to draw for no values', () => {
    expect(niceTicks([])).toBeUndefined();
  });
});

describe('trendGeometry with targets that change over time', () => {
  it('steps the target line where the target changed', () => {
    const g = trendGeometry([0.9, 0.92, 0.95, 0.96], [0.9, 0.9, 0.95, 0.95], BOX);
    const ys = [...g.targetPath.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(new Set(ys).size).toBe(2);
    expect(g.targetY).toBe(ys[ys.length - 1]);
    expect(g.targetPath).not.toContain('NaN');
  });
});
