import type { TrendView } from '@/lib/data/scorecard-view';
import { trendGeometry } from './trend-geometry';
import styles from './trend-chart.module.css';

const BOX = { width: 320, height: 92, padX: 6, padY: 6 };

/**
 * A metric's trend against its target, as server-rendered SVG: no JavaScript, so the
 * scorecard stays within its JavaScript budget and works without scripts. Hovering a dot shows
 * its period and value; screen readers get one summary sentence.
 */
export function TrendChart({ trend }: { trend: TrendView }) {
  const geometry = trendGeometry(
    trend.points.map((p) => p.value),
    trend.target,
    BOX,
  );
  const goodAbove = trend.direction === 'higher_is_better';
  const last = geometry.dots[geometry.dots.length - 1];
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
      >
        <rect
          className={styles.goodZone}
          x={0}
          width={BOX.width}
          y={goodAbove ? geometry.top : geometry.targetY}
          height={Math.max(0, goodAbove ? geometry.targetY - geometry.top : geometry.bottom - geometry.targetY)}
        />
        <line className={styles.target} x1={0} x2={BOX.width} y1={geometry.targetY} y2={geometry.targetY} />
        <path className={styles.line} d={geometry.path} />
        {geometry.dots.map((dot) => (
          <circle key={dot.index} className={styles.dot} cx={dot.x} cy={dot.y} r={dot === last ? 3.5 : 2}>
            <title>{`${trend.points[dot.index].name}: ${trend.points[dot.index].text}`}</title>
          </circle>
        ))}
      </svg>
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
