CREATE TABLE "rollup_stage_issue_months" (
	"month" date NOT NULL,
	"journey_stage" text NOT NULL,
	"issue_key" text NOT NULL,
	"fixes" integer NOT NULL,
	"cost" numeric(20, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "rollup_stage_issue_months_month_journey_stage_issue_key_pk" PRIMARY KEY("month","journey_stage","issue_key")
);
--> statement-breakpoint

-- The journey's stages from a rollup: spot fixes per month, stage as written ('' for none) and
-- issue. The spot fixes' trigger, truncate and rollup_rebuild() keep it too.

-- changes: (sign, occurred_on, journey_stage, issue_key, cost)
CREATE FUNCTION rollup_stage_issue_months_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_stage_issue_months as r (month, journey_stage, issue_key, fixes, cost)
    select date_trunc('month', c.occurred_on::timestamp)::date, coalesce(c.journey_stage, ''), c.issue_key,
           sum(c.sign), sum(c.sign * c.cost)
    from changes c
    group by 1, 2, 3
    having (sum(c.sign), sum(c.sign * c.cost)) <> (0, 0)
    order by 1, 2, 3
    on conflict (month, journey_stage, issue_key) do update set fixes = r.fixes + excluded.fixes, cost = r.cost + excluded.cost
  $q$, changes)
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_spot_fixes_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE rollup_spot_fix_months_sql(rollup_changes(TG_OP, 'occurred_on, category, cost'));
  DELETE FROM rollup_spot_fix_months WHERE fixes = 0;
  EXECUTE rollup_issue_months_sql(rollup_changes(TG_OP, 'issue_key, occurred_on, cost'));
  DELETE FROM rollup_issue_months WHERE fixes = 0;
  EXECUTE rollup_stage_issue_months_sql(rollup_changes(TG_OP, 'occurred_on, journey_stage, issue_key, cost'));
  DELETE FROM rollup_stage_issue_months WHERE fixes = 0;
  -- One writer at a time recomputes first fixes (held to the end of the transaction). The next
  -- statement reads spot_fixes afresh (READ COMMITTED), so it sees what a writer before it committed.
  LOCK TABLE rollup_issue_first_fixes IN SHARE ROW EXCLUSIVE MODE;
  EXECUTE rollup_issue_first_fixes_sql(rollup_changes(TG_OP, 'issue_key, occurred_on, cost'));
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_spot_fixes_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_spot_fix_months;
  DELETE FROM rollup_issue_months;
  DELETE FROM rollup_stage_issue_months;
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
  DELETE FROM rollup_stage_issue_months;
  DELETE FROM rollup_issue_first_fixes;
  DELETE FROM rollup_at_risk_spans;
  DELETE FROM rollup_at_risk_months;
  DELETE FROM rollup_response_churn_days;
  EXECUTE rollup_customer_days_sql('select 1 as sign, acquired_on, churned_on, monthly_value, segment from customers');
  EXECUTE rollup_customer_cohorts_sql('select 1 as sign, acquired_on, churned_on, segment from customers');
  EXECUTE rollup_churn_reasons_sql('select 1 as sign, churned_on, churn_reason, monthly_value from customers');
  EXECUTE rollup_response_months_sql('select 1 as sign, responded_on, touchpoint, score from survey_responses');
  EXECUTE rollup_spot_fix_months_sql('select 1 as sign, occurred_on, category, cost from spot_fixes');
  EXECUTE rollup_issue_months_sql('select 1 as sign, issue_key, occurred_on, cost from spot_fixes');
  EXECUTE rollup_stage_issue_months_sql('select 1 as sign, occurred_on, journey_stage, issue_key, cost from spot_fixes');
  EXECUTE rollup_issue_first_fixes_sql('select 1 as sign, issue_key from spot_fixes');
  EXECUTE rollup_at_risk_add_sql('select customer_id from customers');
  DELETE FROM rollup_at_risk_months WHERE customers = 0 AND value = 0;
  EXECUTE rollup_response_churn_sql('select 1 as sign, r.responded_on, r.score, c.acquired_on, c.churned_on
    from survey_responses r join customers c on c.customer_id = r.customer_id');
  ANALYZE rollup_customer_days, rollup_customer_cohorts, rollup_churn_reasons, rollup_response_months, rollup_spot_fix_months,
    rollup_issue_months, rollup_stage_issue_months, rollup_issue_first_fixes, rollup_at_risk_spans, rollup_at_risk_months,
    rollup_response_churn_days;
END
$fn$;
--> statement-breakpoint

INSERT INTO rollup_stage_issue_months (month, journey_stage, issue_key, fixes, cost)
SELECT date_trunc('month', occurred_on::timestamp)::date, coalesce(journey_stage, ''), issue_key, count(*), sum(cost)
FROM spot_fixes GROUP BY 1, 2, 3;
