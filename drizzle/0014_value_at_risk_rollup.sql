CREATE TABLE "rollup_at_risk_months" (
	"month" date PRIMARY KEY NOT NULL,
	"customers" integer NOT NULL,
	"value" numeric(20, 2) DEFAULT '0' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_at_risk_spans" (
	"customer_id" text NOT NULL,
	"from_day" date NOT NULL,
	"to_day" date NOT NULL,
	"monthly_value" numeric(14, 2),
	CONSTRAINT "rollup_at_risk_spans_customer_id_from_day_pk" PRIMARY KEY("customer_id","from_day")
);
--> statement-breakpoint
CREATE INDEX "survey_responses_customer_idx" ON "survey_responses" USING btree ("customer_id","responded_on");--> statement-breakpoint

-- Value at risk on a month's last day E: customers active on E whose latest response up to E
-- (ties on a day: the greatest response_id) is a detractor's and at most 364 days old. Each
-- detractor's response therefore counts over a span of days: from the response (or acquisition)
-- to the day before the customer's next response, 364 days after it, or the day before the churn,
-- whichever is first. rollup_at_risk_spans keeps each customer's spans; rollup_at_risk_months the
-- spans' starts and ends by month, whose running sum is the figure for any month's last day.
-- A write to customers or survey_responses recomputes the spans of the customers it touched.

-- keys: a query of (customer_id). Takes the customers' spans away, and their changes by month.
CREATE FUNCTION rollup_at_risk_remove_sql(keys text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with keys as (select distinct customer_id from (%s) k where customer_id is not null),
    gone as (
      delete from rollup_at_risk_spans s using keys k where s.customer_id = k.customer_id
      returning s.from_day, s.to_day, coalesce(s.monthly_value, 0) as value
    ),
    changes as (
      select date_trunc('month', from_day::timestamp)::date as month, -1 as customers, -value as value from gone
      union all
      select date_trunc('month', (to_day + 1)::timestamp)::date, 1, value from gone where to_day <> 'infinity'
    )
    insert into rollup_at_risk_months as m (month, customers, value)
    select month, sum(customers), sum(value) from changes
    group by month
    having (sum(customers), sum(value)) <> (0, 0)
    order by month
    on conflict (month) do update set customers = m.customers + excluded.customers, value = m.value + excluded.value
  $q$, keys)
$fn$;
--> statement-breakpoint

-- keys: a query of (customer_id). Computes the customers' spans afresh and adds their changes by month.
CREATE FUNCTION rollup_at_risk_add_sql(keys text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with keys as (select distinct customer_id from (%s) k where customer_id is not null),
    last_of_day as (
      select distinct on (r.customer_id, r.responded_on) r.customer_id, r.responded_on as day, r.score
      from survey_responses r
      where r.customer_id in (select customer_id from keys)
      order by r.customer_id, r.responded_on, r.response_id collate "C" desc
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
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_customers_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  at_risk_keys text := format('select customer_id from (%s) c',
    rollup_changes(TG_OP, 'customer_id, acquired_on, churned_on, monthly_value'));
BEGIN
  EXECUTE rollup_customer_days_sql(rollup_changes(TG_OP, 'acquired_on, churned_on, monthly_value, segment'));
  EXECUTE rollup_customer_cohorts_sql(rollup_changes(TG_OP, 'acquired_on, churned_on, segment'));
  EXECUTE rollup_churn_reasons_sql(rollup_changes(TG_OP, 'churned_on, churn_reason, monthly_value'));
  DELETE FROM rollup_customer_days WHERE acquired = 0 AND churned = 0;
  DELETE FROM rollup_customer_cohorts WHERE customers = 0;
  DELETE FROM rollup_churn_reasons WHERE customers = 0;
  -- One writer at a time recomputes spans (held to the end of the transaction); the next
  -- statements read customers and survey_responses afresh, with what a writer before committed.
  LOCK TABLE rollup_at_risk_spans IN SHARE ROW EXCLUSIVE MODE;
  EXECUTE rollup_at_risk_remove_sql(at_risk_keys);
  EXECUTE rollup_at_risk_add_sql(at_risk_keys);
  DELETE FROM rollup_at_risk_months WHERE customers = 0 AND value = 0;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_survey_responses_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  at_risk_keys text := format('select customer_id from (%s) r',
    rollup_changes(TG_OP, 'customer_id, responded_on, score, response_id'));
BEGIN
  EXECUTE rollup_response_months_sql(rollup_changes(TG_OP, 'responded_on, touchpoint, score'));
  DELETE FROM rollup_response_months WHERE responses = 0;
  LOCK TABLE rollup_at_risk_spans IN SHARE ROW EXCLUSIVE MODE;
  EXECUTE rollup_at_risk_remove_sql(at_risk_keys);
  EXECUTE rollup_at_risk_add_sql(at_risk_keys);
  DELETE FROM rollup_at_risk_months WHERE customers = 0 AND value = 0;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_customers_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_customer_days;
  DELETE FROM rollup_customer_cohorts;
  DELETE FROM rollup_churn_reasons;
  DELETE FROM rollup_at_risk_spans;
  DELETE FROM rollup_at_risk_months;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_survey_responses_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_response_months;
  DELETE FROM rollup_at_risk_spans;
  DELETE FROM rollup_at_risk_months;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_rebuild() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  -- Writers wait until the rebuild commits: nothing they write is missed or counted twice.
  LOCK TABLE customers, survey_responses, spot_fixes IN SHARE MODE;
  DELETE FROM rollup_customer_days;
  DELETE FROM rollup_customer_cohorts;
  DELETE FROM rollup_churn_reasons;
  DELETE FROM rollup_response_months;
  DELETE FROM rollup_spot_fix_months;
  DELETE FROM rollup_issue_months;
  DELETE FROM rollup_issue_first_fixes;
  DELETE FROM rollup_at_risk_spans;
  DELETE FROM rollup_at_risk_months;
  EXECUTE rollup_customer_days_sql('select 1 as sign, acquired_on, churned_on, monthly_value, segment from customers');
  EXECUTE rollup_customer_cohorts_sql('select 1 as sign, acquired_on, churned_on, segment from customers');
  EXECUTE rollup_churn_reasons_sql('select 1 as sign, churned_on, churn_reason, monthly_value from customers');
  EXECUTE rollup_response_months_sql('select 1 as sign, responded_on, touchpoint, score from survey_responses');
  EXECUTE rollup_spot_fix_months_sql('select 1 as sign, occurred_on, category, cost from spot_fixes');
  EXECUTE rollup_issue_months_sql('select 1 as sign, issue_key, occurred_on, cost from spot_fixes');
  EXECUTE rollup_issue_first_fixes_sql('select 1 as sign, issue_key from spot_fixes');
  EXECUTE rollup_at_risk_add_sql('select customer_id from customers');
  DELETE FROM rollup_at_risk_months WHERE customers = 0 AND value = 0;
  ANALYZE rollup_customer_days, rollup_customer_cohorts, rollup_churn_reasons, rollup_response_months, rollup_spot_fix_months,
    rollup_issue_months, rollup_issue_first_fixes, rollup_at_risk_spans, rollup_at_risk_months;
END
$fn$;
--> statement-breakpoint

SELECT rollup_rebuild();
