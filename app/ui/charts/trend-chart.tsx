import type { TrendView } from '@/lib/data/scorecard-view';
import { trendGeometry } from './trend-geometry';
import styles from './trend-chart.module.css';

const BOX = { width: 320, height: 92, padX: 6, padY: 6 };

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The chart's inner markup, built once per trend: a cached scorecard view hands the same
 * TrendView object to every request, so later requests reuse the string instead of rendering
 * and serialising a hundred-odd SVG elements again.
 */
const markupCache = new WeakMap<TrendView, string>();

function trendMarkup(trend: TrendView): string {
  const cached = markupCache.get(trend);
  if (cached !== undefined) return cached;
  const g = trendGeometry(
    trend.points.map((p) => p.value),
    trend.points.length ? trend.points.map((p) => p.target) : trend.target,
    BOX,
  );
  // The good side of the (stepped) target line: above it when higher is better, else below.
  const goodAbove = trend.direction === 'higher_is_better';
  const zone = `${g.targetPath}L${BOX.width} ${goodAbove ? g.top : g.bottom}L0 ${goodAbove ? g.top : g.bottom}Z`;
  const last = g.dots[g.dots.length - 1];
  const dots = g.dots
    .map((dot) => {
      const point = trend.points[dot.index];
      return `<circle class="${styles.dot}" cx="${dot.x}" cy="${dot.y}" r="${dot === last ? 3.5 : 2}"><title>${escapeHtml(`${point.name}: ${point.text}`)}</title></circle>`;
    })
    .join('');
  const markup =
    `<path class="${styles.goodZone}" d="${zone}"></path>` +
    `<path class="${styles.target}" d="${g.targetPath}" fill="none"></path>` +
    (g.path ? `<path class="${styles.line}" d="${g.path}"></path>` : '') +
    dots;
  markupCache.set(trend, markup);
  return markup;
}

/**
 * A metric's trend against its target, as server-rendered SVG: no JavaScript, so the
 * scorecard stays within its JavaScript budget and works without scripts. Hovering a dot shows
 * its period and value; screen readers get one summary sentence.
 */
export function TrendChart({ trend }: { trend: TrendView }) {
  // Periods before the data begins are left out; with none left there is no trend to draw.
  if (trend.points.every((p) => p.value === null)) return <p className={styles.caption}>{trend.summary}</p>;
  const first = trend.points[0];
  const end = trend.points[trend.points.length - 1];
  return (
    <figure className={styles.figure}>
      <svg
        className={styles.svg}
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        role="img"
        aria-label={trend.summary}
        focusable="false"
        dangerouslySetInnerHTML={{ __html: trendMarkup(trend) }}
      />
      <figcaption className={styles.caption}>
        <span>{first?.name}</span>
        <span className={styles.legend}>
          <span className={styles.legendLine} aria-hidden="true" /> Target {trend.targetText}
        </span>
        <span>{end?.name}</span>
      </figcaption>
    </figure>
  );
}
