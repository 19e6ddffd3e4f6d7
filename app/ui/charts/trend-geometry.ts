/**
 * Geometry for the scorecard's small trend charts, drawn as plain SVG on the server: the line,
 * its dots and the target line. A missing value (null) breaks the line instead of dropping to 0.
 */
export interface TrendGeometry {
  /** SVG path data for the line, one "M…L…" run per stretch of known values. */
  path: string;
  dots: Array<{ index: number; x: number; y: number }>;
  /** The y of the latest period's target. */
  targetY: number;
  /** The target line as a step for each period (targets change over time). */
  targetPath: string;
  /** The y of the bottom and top of the plotting area, for shading. */
  top: number;
  bottom: number;
  min: number;
  max: number;
}

export interface Box {
  width: number;
  height: number;
  padX: number;
  padY: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function trendGeometry(values: Array<number | null>, target: number | number[], box: Box): TrendGeometry {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const targets = Array.isArray(target) ? target : values.map(() => target);
  const lastTarget = Array.isArray(target) ? (target[target.length - 1] ?? 0) : target;
  let min = Math.min(lastTarget, ...targets, ...known);
  let max = Math.max(lastTarget, ...targets, ...known);
  if (max === min) {
    const spread = Math.abs(max) * 0.05 || 1;
    min -= spread;
    max += spread;
  }
  // A little air above and below so the line never sits on the edge.
  const margin = (max - min) * 0.12;
  min -= margin;
  max += margin;

  const top = box.padY;
  const bottom = box.height - box.padY;
  const step = values.length > 1 ? (box.width - 2 * box.padX) / (values.length - 1) : 0;
  const xOf = (i: number) => round(values.length > 1 ? box.padX + i * step : box.width / 2);
  const yOf = (v: number) => round(bottom - ((v - min) / (max - min)) * (bottom - top));

  const dots: TrendGeometry['dots'] = [];
  let path = '';
  let drawing = false;
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      drawing = false;
      return;
    }
    const x = xOf(index);
    const y = yOf(value);
    dots.push({ index, x, y });
    path += `${drawing ? 'L' : 'M'}${x} ${y}`;
    drawing = true;
  });
  // Each period's target spans half a step either side of its dot, so a change shows as a step.
  const half = step / 2;
  let targetPath = '';
  targets.forEach((t, i) => {
    const y = yOf(t);
    const from = round(Math.max(0, xOf(i) - half));
    const to = round(Math.min(box.width, values.length > 1 ? xOf(i) + half : box.width));
    targetPath += `${i === 0 ? `M${values.length > 1 ? 0 : from} ${y}` : `L${from} ${y}`}L${i === targets.length - 1 ? box.width : to} ${y}`;
  });
  if (!targetPath) targetPath = `M0 ${yOf(lastTarget)}L${box.width} ${yOf(lastTarget)}`;
  return { path, dots, targetY: yOf(lastTarget), targetPath, top, bottom, min, max };
}
