-- Two rollup statements that bulk imports wait on, rewritten for the same results.

-- Customers by day: acquisitions and churns grouped in two plain passes over the changes, then
-- labelled per group. (A lateral pair of rows per customer cost 1.8 s of a 1M-customer import;
-- this takes under half.) The changes are read twice rather than materialized: a CTE scan of a
-- million rows cost more than the grouping itself.
-- changes: (sign, acquired_on, churned_on, monthly_value, segment)
CREATE OR REPLACE FUNCTION rollup_customer_days_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as not materialized (%s),
    by_day as (
      select c.acquired_on as day, c.segment, sum(c.sign) as acquired, sum(c.sign * coalesce(c.monthly_value, 0)) as acquired_value,
             0 as churned, 0::numeric as churned_value,
             sum(case when c.churned_on = c.acquired_on then c.sign else 0 end) as acquired_and_churned
      from changes c
      group by 1, 2
      union all
      select c.churned_on, c.segment, 0, 0::numeric, sum(c.sign), sum(c.sign * coalesce(c.monthly_value, 0)), 0
      from changes c
      where c.churned_on is not null
      group by 1, 2
    )
    insert into rollup_customer_days as r (day, segment, acquired, acquired_value, churned, churned_value, acquired_and_churned)
    select day, rollup_label(segment), sum(acquired), sum(acquired_value), sum(churned), sum(churned_value), sum(acquired_and_churned)
    from by_day
    group by 1, 2
    having (sum(acquired), sum(acquired_value), sum(churned), sum(churned_value), sum(acquired_and_churned)) <> (0, 0, 0, 0, 0)
    order by 1, 2
    on conflict (day, segment) do update set
      acquired = r.acquired + excluded.acquired,
      acquired_value = r.acquired_value + excluded.acquired_value,
      churned = r.churned + excluded.churned,
      churned_value = r.churned_value + excluded.churned_value,
      acquired_and_churned = r.acquired_and_churned + excluded.acquired_and_churned
  $q$, changes)
$fn$;
--> statement-breakpoint

-- At-risk spans: each customer's responses are put in order by byte ("C"), not by the database's
-- collation. Any order that keeps a customer's responses together will do, and a customer's
-- spans do not depend on it; comparing by locale took half the time of a 2M-response import's
-- recomputation.
-- keys: a query of (customer_id). Computes the customers' spans afresh and adds their changes by month.
CREATE OR REPLACE FUNCTION rollup_at_risk_add_sql(keys text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with keys as (select distinct customer_id from (%s) k where customer_id is not null),
    last_of_day as (
      select distinct on (r.customer_id collate "C", r.responded_on) r.customer_id collate "C" as customer_id, r.responded_on as day, r.score
      from survey_responses r
      where r.customer_id in (select customer_id from keys)
      order by r.customer_id collate "C", r.responded_on, r.response_id collate "C" desc
    ),
    answers as (
      select l.*, lead(l.day) over (partition by l.customer_id order by l.day) as next_day from last_of_day l
    ),
    spans as (
      select a.customer_id, c.monthly_value,
             greatest(a.day, c.acquired_on) as from_day,
             least(coalesce(a.next_day - 1, 'infinity'::date), a.day + 364, coalesce(c.churned_on - 1, 'infinity'::date)) as to_day
      from answers a
      join customers c on c.customer_id = a.customer_id
      where a.score <= 6
    ),
    added as (
      insert into rollup_at_risk_spans (customer_id, from_day, to_day, monthly_value)
      select customer_id, from_day, to_day, monthly_value from spans where from_day <= to_day
      returning from_day, to_day, coalesce(monthly_value, 0) as value
    ),
    changes as (
      select date_trunc('month', from_day::timestamp)::date as month, 1 as customers, value from added
      union all
      select date_trunc('month', (to_day + 1)::timestamp)::date, -1, -value from added where to_day <> 'infinity'
    )
    insert into rollup_at_risk_months as m (month, customers, value)
    select month, sum(customers), sum(value) from changes
    group by month
    having (sum(customers), sum(value)) <> (0, 0)
    order by month
    on conflict (month) do update set customers = m.customers + excluded.customers, value = m.value + excluded.value
  $q$, keys)
$fn$;
