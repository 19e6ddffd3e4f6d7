'use client';

import {
  Bar,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { chartFormatters, type ChartValueFormat } from '@/lib/format';
import { niceTicks } from './ticks';
import styles from './series-chart.module.css';

/**
 * The drill-downs' interactive charts (recharts), one small client component for every shape
 * they need: lines, bars, stacked bars, a target line and a second axis. The server passes
 * plain numbers and labels; formatting here is display only, the exact figures are in the
 * table beside each chart.
 */
export type ValueFormat = ChartValueFormat;

export interface ChartSeries {
  key: string;
  label: string;
  /** A CSS colour, usually one of the palette variables: var(--chart-1) … */
  color: string;
  type?: 'line' | 'bar';
  stack?: string;
  dashed?: boolean;
  axis?: 'left' | 'right';
  /** Colour per data point (bars only), e.g. promoters / passives / detractors. */
  pointColors?: string[];
  /** A secondary line (bounds, guides): thinner and without dots. */
  thin?: boolean;
}

export interface SeriesChartProps {
  data: Array<Record<string, string | number | null>>;
  series: ChartSeries[];
  format: ValueFormat;
  rightFormat?: ValueFormat;
  currency?: string;
  target?: { value: number; label: string };
  height?: number;
  title: string;
  description?: string;
  showLegend?: boolean;
  /** Start the value axis at zero (the default for bars); lines otherwise fit their data. */
  zeroBased?: boolean;
  /**
   * Name every category on its axis, slanted and shortened to fit (a ranked bar chart, where each
   * bar is a named thing); otherwise the axis names as many as fit (periods).
   */
  nameEveryCategory?: boolean;
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

const formatter = chartFormatters;

const tick = { fill: 'var(--text-muted)', fontSize: 12 };


export function SeriesChart({
  data,
  series,
  format,
  rightFormat,
  currency = 'USD',
  target,
  height = 260,
  title,
  description,
  showLegend = series.length > 1,
  zeroBased = series.some((s) => s.type === 'bar'),
  nameEveryCategory = false,
}: SeriesChartProps) {
  const left = formatter(format, currency);
  const right = formatter(rightFormat ?? format, currency);
  const hasRight = series.some((s) => s.axis === 'right');
  const seriesByKey = new Map(series.map((s) => [s.key, s]));
  const leftValues = data.flatMap((row) =>
    series
      .filter((s) => (s.axis ?? 'left') === 'left')
      .map((s) => row[s.key])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v)),
  );
  const leftTicks = zeroBased ? undefined : niceTicks(target ? [...leftValues, target.value] : leftValues);
  return (
    <div className={styles.chart}>
      <div style={{ height: nameEveryCategory ? height + 70 : height }}>
        <ComposedChart
          data={data}
          responsive
          style={{ width: '100%', height: '100%' }}
          margin={{ top: 8, right: hasRight ? 4 : 12, bottom: 0, left: 4 }}
          title={title}
          desc={description}
        >
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          {nameEveryCategory ? (
            <XAxis
              dataKey="name"
              tick={{ ...tick, fontSize: 11 }}
              tickLine={false}
              axisLine={{ stroke: 'var(--border)' }}
              interval={0}
              angle={-40}
              textAnchor="end"
              height={80}
              tickFormatter={(name: string) => shorten(name, 18)}
            />
          ) : (
            <XAxis dataKey="name" tick={tick} tickLine={false} axisLine={{ stroke: 'var(--border)' }} minTickGap={12} />
          )}
          <YAxis
            yAxisId="left"
            tick={tick}
            tickLine={false}
            axisLine={false}
            width={format === 'money' ? 64 : 48}
            domain={leftTicks ? [leftTicks[0], leftTicks[leftTicks.length - 1]] : [0, 'auto']}
            ticks={leftTicks}
            tickFormatter={(v: number) => left.axis.format(v)}
          />
          {hasRight && (
            <YAxis
              yAxisId="right"
              orientation="right"
              tick={tick}
              tickLine={false}
              axisLine={false}
              width={48}
              domain={rightFormat === 'percent' ? [0, 1] : undefined}
              tickFormatter={(v: number) => right.axis.format(v)}
            />
          )}
          <Tooltip
            contentStyle={{
              background: 'var(--surface)',
              border: '1px solid var(--border)',
              borderRadius: 8,
              color: 'var(--text)',
            }}
            labelStyle={{ color: 'var(--text)', fontWeight: 600 }}
            cursor={{ fill: 'var(--surface-muted)', stroke: 'var(--border)' }}
            formatter={(value, name, item) => {
              const s = seriesByKey.get(String(item.dataKey));
              const f = s?.axis === 'right' ? right : left;
              return [typeof value === 'number' ? f.full.format(value) : String(value ?? '—'), s?.label ?? String(name)];
            }}
          />
          {/* Above the plot: below it, a phone's slanted axis labels would run into it. */}
          {showLegend && <Legend verticalAlign="top" wrapperStyle={{ fontSize: 13, color: 'var(--text)', paddingBottom: 6 }} />}
          {target && (
            <ReferenceLine
              yAxisId="left"
              y={target.value}
              stroke="var(--text-muted)"
              strokeDasharray="5 4"
              strokeWidth={1.5}
              ifOverflow="extendDomain"
            />
          )}
          {series.map((s) =>
            s.type === 'bar' ? (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                fill={s.color}
                stackId={s.stack}
                yAxisId={s.axis ?? 'left'}
                maxBarSize={40}
                isAnimationActive={false}
              >
                {s.pointColors?.map((color, i) => <Cell key={i} fill={color} />)}
              </Bar>
            ) : (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                strokeWidth={s.thin ? 1 : 2}
                strokeDasharray={s.dashed ? '5 4' : undefined}
                dot={s.thin ? false : { r: 2.5, fill: 'var(--surface)', strokeWidth: 1.5 }}
                activeDot={s.thin ? false : { r: 5 }}
                connectNulls={false}
                yAxisId={s.axis ?? 'left'}
                isAnimationActive={false}
              />
            ),
          )}
        </ComposedChart>
      </div>
      {/* The target's name sits under the plot, in text colour: on the plot it covered the data and faded out in dark mode. */}
      {target && (
        <p className={styles.targetKey}>
          <span aria-hidden="true" className={styles.targetSwatch} /> {target.label}
        </p>
      )}
    </div>
  );
}
