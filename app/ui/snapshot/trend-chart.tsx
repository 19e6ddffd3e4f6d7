import { formatMoney, formatPercent, formatPeriodLabel, formatShortPeriodLabel } from '@/lib/format';
import { type TrendPointView } from '@/lib/snapshots/view-model';
import styles from './snapshot.module.css';

/**
 * A trend against its target drawn as plain SVG on the server: it costs no JavaScript, prints
 * exactly, and needs no measuring of its container (which charts libraries get wrong in print).
 */
interface TrendChartProps {
  points: TrendPointView[];
  format: 'percent' | 'money';
  currency: string;
  metricName: string;
  size?: 'card' | 'slide';
}

const SIZES = {
  card: { width: 320, height: 88, gutter: 44, font: 10 },
  slide: { width: 960, height: 280, gutter: 100, font: 22 },
} as const;
const PAD = 6;

export function TrendChart({ points, format, currency, metricName, size = 'card' }: TrendChartProps) {
  const { width, height, gutter, font } = SIZES[size];
  const values = points.flatMap((p) => (p.value === null ? [p.target] : [p.value, p.target]));
  const lowest = Math.min(...values);
  const highest = Math.max(...values);
  if (!Number.isFinite(lowest) || !Number.isFinite(highest)) return null;
  const span = highest - lowest || Math.abs(highest) * 0.1 || 1;
  const low = lowest - span * 0.12;
  const high = highest + span * 0.12;
  const x = (i: number) => gutter + (points.length <= 1 ? 0 : (i * (width - gutter - PAD)) / (points.length - 1));
  const y = (v: number) => PAD + ((high - v) * (height - 2 * PAD)) / (high - low);

  const segments: string[] = [];
  let current = '';
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const target = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.target).toFixed(1)}`).join('');
  const lastIndex = points.findLastIndex((p) => p.value !== null);
  const show = (v: number) =>
    format === 'percent' ? formatPercent(v, span < 0.02 ? 1 : 0) : formatMoney(v.toFixed(2), currency, { compact: true });
  const first = points[0];
  const last = points[points.length - 1];
  const described = points.filter((p) => p.value !== null);
  const label =
    described.length === 0
      ? `${metricName}: no data from ${formatPeriodLabel(first.label)} to ${formatPeriodLabel(last.label)}`
      : `${metricName} from ${formatPeriodLabel(first.label)} to ${formatPeriodLabel(last.label)}: ` +
        `${show(described[0].value!)} to ${show(described[described.length - 1].value!)}, target ${show(last.target)}`;

  return (
    <figure className={`${styles.trend} ${size === 'slide' ? styles.trendSlide : ''}`}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className={styles.trendSvg}>
        {[highest, lowest].map((v, i) => (
          <g key={i}>
            <line x1={gutter} x2={width - PAD} y1={y(v)} y2={y(v)} className={styles.trendGrid} />
            <text x={gutter - font * 0.5} y={y(v)} dy="0.35em" fontSize={font} textAnchor="end" className={styles.trendAxis}>
              {show(v)}
            </text>
          </g>
        ))}
        <path d={target} className={styles.trendTarget} />
        {segments.map((d) => (
          <path key={d} d={d} className={styles.trendLine} />
        ))}
        {lastIndex >= 0 && (
          <circle cx={x(lastIndex)} cy={y(points[lastIndex].value!)} r={size === 'slide' ? 7 : 3.5} className={styles.trendDot} />
        )}
      </svg>
      <figcaption className={styles.trendCaption}>
        <span>{formatShortPeriodLabel(first.label)}</span>
        <span className={styles.trendKey}>
          <span aria-hidden="true" className={styles.trendKeyLine} /> actual
          <span aria-hidden="true" className={styles.trendKeyTarget} /> target
        </span>
        <span>{formatShortPeriodLabel(last.label)}</span>
      </figcaption>
    </figure>
  );
}
