import { SeriesChart, type SeriesChartProps } from './series-chart';
import styles from './chart-figure.module.css';

export interface FigureTable {
  columns: string[];
  rows: Array<{ key: string; cells: string[] }>;
}

/**
 * A chart with its title and its figures as a table: the chart is an interactive client
 * island, the table is server-rendered, so the numbers are there without JavaScript and for
 * screen readers.
 */
export function ChartFigure({
  title,
  caption,
  chart,
  table,
}: {
  title: string;
  caption?: string;
  chart: SeriesChartProps;
  table: FigureTable;
}) {
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{title}</span>
        {caption && <span className="muted">{caption}</span>}
      </figcaption>
      <SeriesChart {...chart} />
      <details className={styles.details}>
        <summary>Show the figures</summary>
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                {table.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.key}>
                  {row.cells.map((cell, i) =>
                    i === 0 ? (
                      <th key={i} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={i}>{cell}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
