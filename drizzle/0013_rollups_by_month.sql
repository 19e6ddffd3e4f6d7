-- Rollups by month, segment, touchpoint and issue. Periods are whole months, so the response and
-- spot-fix rollups keep months instead of days (a five-year trend reads 60 months, not 1,800 days);
-- customer days and cohorts gain the segment, responses the touchpoint, and spot fixes a rollup per
-- issue and month, so the drill-downs' breakdowns read rollups too, not every customer, response or
-- spot fix of the period. A blank segment or touchpoint is 'Not recorded', as pages show it.
-- The statements and triggers of 0010 and 0012 are redefined below; rollup_rebuild() refills all.

DROP TABLE "rollup_response_days";--> statement-breakpoint
DROP TABLE "rollup_spot_fix_days";--> statement-breakpoint
DROP FUNCTION rollup_response_days_sql(text);--> statement-breakpoint
DROP FUNCTION rollup_spot_fix_days_sql(text);--> statement-breakpoint
DELETE FROM "rollup_customer_days";--> statement-breakpoint
DELETE FROM "rollup_customer_cohorts";--> statement-breakpoint
ALTER TABLE "rollup_customer_days" DROP CONSTRAINT "rollup_customer_days_pkey";--> statement-breakpoint
ALTER TABLE "rollup_customer_cohorts" DROP CONSTRAINT "rollup_customer_cohorts_acquired_month_churned_month_pk";--> statement-breakpoint
ALTER TABLE "rollup_customer_days" ADD COLUMN "segment" text NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_customer_cohorts" ADD COLUMN "segment" text NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_customer_days" ADD CONSTRAINT "rollup_customer_days_day_segment_pk" PRIMARY KEY("day","segment");--> statement-breakpoint
ALTER TABLE "rollup_customer_cohorts" ADD CONSTRAINT "rollup_customer_cohorts_acquired_month_churned_month_segment_pk" PRIMARY KEY("acquired_month","churned_month","segment");--> statement-breakpoint
CREATE TABLE "rollup_response_months" (
	"month" date NOT NULL,
	"touchpoint" text NOT NULL,
	"score" smallint NOT NULL,
	"responses" integer NOT NULL,
	CONSTRAINT "rollup_response_months_month_touchpoint_score_pk" PRIMARY KEY("month","touchpoint","score")
);
--> statement-breakpoint
CREATE TABLE "rollup_spot_fix_months" (
	"month" date NOT NULL,
	"category" text NOT NULL,
	"fixes" integer NOT NULL,
	"cost" numeric(20, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "rollup_spot_fix_months_month_category_pk" PRIMARY KEY("month","category")
);
--> statement-breakpoint
CREATE TABLE "rollup_issue_months" (
	"issue_key" text NOT NULL,
	"month" date NOT NULL,
	"fixes" integer NOT NULL,
	"cost" numeric(20, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "rollup_issue_months_issue_key_month_pk" PRIMARY KEY("issue_key","month")
);
--> statement-breakpoint
CREATE INDEX "rollup_issue_months_month_idx" ON "rollup_issue_months" USING btree ("month");--> statement-breakpoint
CREATE INDEX "rollup_response_months_empty_idx" ON "rollup_response_months" USING btree ("month") WHERE "rollup_response_months"."responses" = 0;--> statement-breakpoint
CREATE INDEX "rollup_spot_fix_months_empty_idx" ON "rollup_spot_fix_months" USING btree ("month") WHERE "rollup_spot_fix_months"."fixes" = 0;--> statement-breakpoint

-- A blank segment, touchpoint or reason, as pages show it.
CREATE FUNCTION rollup_label(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT coalesce(nullif(btrim(value), ''), 'Not recorded') $fn$;
--> statement-breakpoint

-- changes: (sign, acquired_on, churned_on, monthly_value, segment)
CREATE OR REPLACE FUNCTION rollup_customer_days_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_customer_days as r (day, segment, acquired, acquired_value, churned, churned_value, acquired_and_churned)
    select v.day, rollup_label(c.segment), sum(v.acquired), sum(v.acquired_value), sum(v.churned), sum(v.churned_value),
           sum(v.acquired_and_churned)
    from changes c
    cross join lateral (values
      (c.acquired_on, c.sign, c.sign * coalesce(c.monthly_value, 0), 0, 0::numeric,
       case when c.churned_on = c.acquired_on then c.sign else 0 end),
      (c.churned_on, 0, 0::numeric, c.sign, c.sign * coalesce(c.monthly_value, 0), 0)
    ) as v(day, acquired, acquired_value, churned, churned_value, acquired_and_churned)
    where v.day is not null
    group by 1, 2
    having (sum(v.acquired), sum(v.acquired_value), sum(v.churned), sum(v.churned_value), sum(v.acquired_and_churned))
           <> (0, 0, 0, 0, 0)
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

-- changes: (sign, acquired_on, churned_on, segment)
CREATE OR REPLACE FUNCTION rollup_customer_cohorts_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_customer_cohorts as r (acquired_month, churned_month, segment, customers)
    select date_trunc('month', c.acquired_on::timestamp)::date,
           coalesce(date_trunc('month', c.churned_on::timestamp)::date, 'infinity'::date),
           rollup_label(c.segment),
           sum(c.sign)
    from changes c
    group by 1, 2, 3
    having sum(c.sign) <> 0
    order by 1, 2, 3
    on conflict (acquired_month, churned_month, segment) do update set customers = r.customers + excluded.customers
  $q$, changes)
$fn$;
--> statement-breakpoint

-- changes: (sign, responded_on, touchpoint, score)
CREATE FUNCTION rollup_response_months_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_response_months as r (month, touchpoint, score, responses)
    select date_trunc('month', c.responded_on::timestamp)::date, rollup_label(c.touchpoint), c.score, sum(c.sign)
    from changes c
    group by 1, 2, 3
    having sum(c.sign) <> 0
    order by 1, 2, 3
    on conflict (month, touchpoint, score) do update set responses = r.responses + excluded.responses
  $q$, changes)
$fn$;
--> statement-breakpoint

-- changes: (sign, occurred_on, category, cost)
CREATE FUNCTION rollup_spot_fix_months_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_spot_fix_months as r (month, category, fixes, cost)
    select date_trunc('month', c.occurred_on::timestamp)::date, c.category, sum(c.sign), sum(c.sign * c.cost)
    from changes c
    group by 1, 2
    having (sum(c.sign), sum(c.sign * c.cost)) <> (0, 0)
    order by 1, 2
    on conflict (month, category) do update set fixes = r.fixes + excluded.fixes, cost = r.cost + excluded.cost
  $q$, changes)
$fn$;
--> statement-breakpoint

-- changes: (sign, issue_key, occurred_on, cost)
CREATE FUNCTION rollup_issue_months_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_issue_months as r (issue_key, month, fixes, cost)
    select c.issue_key, date_trunc('month', c.occurred_on::timestamp)::date, sum(c.sign), sum(c.sign * c.cost)
    from changes c
    group by 1, 2
    having (sum(c.sign), sum(c.sign * c.cost)) <> (0, 0)
    order by 1, 2
    on conflict (issue_key, month) do update set fixes = r.fixes + excluded.fixes, cost = r.cost + excluded.cost
  $q$, changes)
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_customers_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE rollup_customer_days_sql(rollup_changes(TG_OP, 'acquired_on, churned_on, monthly_value, segment'));
  EXECUTE rollup_customer_cohorts_sql(rollup_changes(TG_OP, 'acquired_on, churned_on, segment'));
  EXECUTE rollup_churn_reasons_sql(rollup_changes(TG_OP, 'churned_on, churn_reason, monthly_value'));
  DELETE FROM rollup_customer_days WHERE acquired = 0 AND churned = 0;
  DELETE FROM rollup_customer_cohorts WHERE customers = 0;
  DELETE FROM rollup_churn_reasons WHERE customers = 0;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_survey_responses_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE rollup_response_months_sql(rollup_changes(TG_OP, 'responded_on, touchpoint, score'));
  DELETE FROM rollup_response_months WHERE responses = 0;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_spot_fixes_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE rollup_spot_fix_months_sql(rollup_changes(TG_OP, 'occurred_on, category, cost'));
  DELETE FROM rollup_spot_fix_months WHERE fixes = 0;
  EXECUTE rollup_issue_months_sql(rollup_changes(TG_OP, 'issue_key, occurred_on, cost'));
  DELETE FROM rollup_issue_months WHERE fixes = 0;
  -- One writer at a time recomputes first fixes (held to the end of the transaction). The next
  -- statement reads spot_fixes afresh (READ COMMITTED), so it sees what a writer before it committed.
  LOCK TABLE rollup_issue_first_fixes IN SHARE ROW EXCLUSIVE MODE;
  EXECUTE rollup_issue_first_fixes_sql(rollup_changes(TG_OP, 'issue_key, occurred_on, cost'));
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_survey_responses_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_response_months;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_spot_fixes_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_spot_fix_months;
  DELETE FROM rollup_issue_months;
  DELETE FROM rollup_issue_first_fixes;
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
  EXECUTE rollup_customer_days_sql('select 1 as sign, acquired_on, churned_on, monthly_value, segment from customers');
  EXECUTE rollup_customer_cohorts_sql('select 1 as sign, acquired_on, churned_on, segment from customers');
  EXECUTE rollup_churn_reasons_sql('select 1 as sign, churned_on, churn_reason, monthly_value from customers');
  EXECUTE rollup_response_months_sql('select 1 as sign, responded_on, touchpoint, score from survey_responses');
  EXECUTE rollup_spot_fix_months_sql('select 1 as sign, occurred_on, category, cost from spot_fixes');
  EXECUTE rollup_issue_months_sql('select 1 as sign, issue_key, occurred_on, cost from spot_fixes');
  EXECUTE rollup_issue_first_fixes_sql('select 1 as sign, issue_key from spot_fixes');
  ANALYZE rollup_customer_days, rollup_customer_cohorts, rollup_churn_reasons, rollup_response_months, rollup_spot_fix_months,
    rollup_issue_months, rollup_issue_first_fixes;
END
$fn$;
--> statement-breakpoint

SELECT rollup_rebuild();
