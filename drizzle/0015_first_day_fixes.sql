ALTER TABLE "rollup_issue_first_fixes" ADD COLUMN "first_day_fixes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint

-- Each issue's first-day fix count beside their cost, so the recurring-issues page counts repeats
-- (a period's fixes less its first-day ones) from the rollups instead of every spot fix.
-- changes: (sign, issue_key, …), as in 0010.
CREATE OR REPLACE FUNCTION rollup_issue_first_fixes_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s),
    keys as (select distinct issue_key from changes),
    firsts as (
      select s.issue_key, min(s.occurred_on) as first_on
      from spot_fixes s where s.issue_key in (select issue_key from keys)
      group by s.issue_key
    ),
    fresh as (
      select f.issue_key, f.first_on, sum(s.cost) as first_day_cost, count(*)::int as first_day_fixes
      from firsts f join spot_fixes s on s.issue_key = f.issue_key and s.occurred_on = f.first_on
      group by f.issue_key, f.first_on
    ),
    gone as (
      delete from rollup_issue_first_fixes r
      where r.issue_key in (select issue_key from keys) and r.issue_key not in (select issue_key from fresh)
    )
    insert into rollup_issue_first_fixes as r (issue_key, first_on, first_day_cost, first_day_fixes)
    select issue_key, first_on, first_day_cost, first_day_fixes from fresh
    order by issue_key
    on conflict (issue_key) do update
      set first_on = excluded.first_on, first_day_cost = excluded.first_day_cost, first_day_fixes = excluded.first_day_fixes
      where (r.first_on, r.first_day_cost, r.first_day_fixes)
            is distinct from (excluded.first_on, excluded.first_day_cost, excluded.first_day_fixes)
  $q$, changes)
$fn$;
--> statement-breakpoint

DO $$ BEGIN
  LOCK TABLE spot_fixes IN SHARE MODE;
  EXECUTE rollup_issue_first_fixes_sql('select issue_key from spot_fixes');
END $$;
