import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { periodsWithin } from '@/lib/data/commentary';
import { parsePeriod } from '@/lib/metrics/period';

/**
 * Views (the scorecard, the drill-downs, the journey, the accountability map) computed once per
 * (key, data fingerprint) and then served from this process's memory, so a signed-in page view
 * costs one small query instead of a dozen aggregates.
 */
const MAX_CACHED_VIEWS = 64;

interface CacheEntry {
  fingerprint: string;
  value: Promise<unknown>;
}

const globalForCache = globalThis as unknown as { cxViewCache?: Map<string, CacheEntry> };
const cacheEntries = (globalForCache.cxViewCache ??= new Map<string, CacheEntry>());

/**
 * The value cached under `key` if it was computed for this fingerprint, else computed once
 * (concurrent callers share the computation). Each server instance keeps its own entries and
 * checks the fingerprint on every read, so a stale view is never served, on serverless too.
 */
export function cachedView<T>(key: string, fingerprint: string, compute: () => Promise<T>): Promise<T> {
  const hit = cacheEntries.get(key);
  if (hit && hit.fingerprint === fingerprint) {
    // Re-inserting keeps the map in least-recently-used order.
    cacheEntries.delete(key);
    cacheEntries.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = compute();
  const entry: CacheEntry = { fingerprint, value };
  cacheEntries.delete(key);
  cacheEntries.set(key, entry);
  value.catch(() => {
    if (cacheEntries.get(key) === entry) cacheEntries.delete(key);
  });
  while (cacheEntries.size > MAX_CACHED_VIEWS) cacheEntries.delete(cacheEntries.keys().next().value!);
  return value;
}

export function clearViewCache(): void {
  cacheEntries.clear();
}

export interface OrganisationSummary {
  name: string;
  currency: string;
}

export interface DataFingerprint {
  organisation: OrganisationSummary;
  /** Changes whenever anything a scorecard view shows could have changed. */
  key: string;
}

/** The period and those within it, whose commentary its cards may show. */
function commentaryPeriods(periodLabel: string): string {
  const period = parsePeriod(periodLabel);
  return `{${[period.label, ...periodsWithin(period).map((p) => p.label)].join(',')}}`;
}

/**
 * One query: the data version (bumped by every record write) plus the metric settings, their
 * owners and the period's commentary, which change without a data write.
 */
export async function readDataFingerprint(db: Queryable, periodLabel: string): Promise<DataFingerprint> {
  const [row] = await queryRows<{
    name: string;
    currency: string;
    data_version: number;
    metrics_fp: string | null;
    commentary_fp: string | null;
  }>(
    db,
    sql`select o.name, o.currency, o.data_version::int as data_version,
          (select string_agg(concat_ws(',', m.key, m.owner_id, m.data_since, m.direction,
                                      e.name, e.email, e.title, e.power_core,
                                      (select string_agg(concat_ws(':', t.id, t.effective_from, t.target, t.at_risk_threshold), '/')
                                         from metric_targets t where t.metric_key = m.key)), ';' order by m.key)
             from metrics m left join executives e on e.id = m.owner_id) as metrics_fp,
          (select string_agg(concat_ws(',', c.metric_key, c.id, c.version, c.updated_at, e.name, e.title), ';'
                             order by c.metric_key)
             from commentary c join executives e on e.id = c.author_id
            where c.period = any(${commentaryPeriods(periodLabel)}::text[])) as commentary_fp
        from organisation o
        where o.id = 1`,
  );
  if (!row) throw new Error('The organisation row is missing: run the migrations (npm run cli -- migrate).');
  return {
    organisation: { name: row.name, currency: row.currency },
    key: `${row.data_version}|${row.currency}|${row.metrics_fp ?? ''}|${row.commentary_fp ?? ''}`,
  };
}
