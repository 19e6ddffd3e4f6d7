CREATE TABLE "rollup_customer_cohorts" (
	"acquired_month" date NOT NULL,
	"churned_month" date NOT NULL,
	"customers" integer NOT NULL,
	CONSTRAINT "rollup_customer_cohorts_acquired_month_churned_month_pk" PRIMARY KEY("acquired_month","churned_month")
);
--> statement-breakpoint
CREATE TABLE "rollup_customer_days" (
	"day" date PRIMARY KEY NOT NULL,
	"acquired" integer DEFAULT 0 NOT NULL,
	"acquired_value" numeric(20, 2) DEFAULT '0' NOT NULL,
	"churned" integer DEFAULT 0 NOT NULL,
	"churned_value" numeric(20, 2) DEFAULT '0' NOT NULL,
	"acquired_and_churned" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_issue_first_fixes" (
	"issue_key" text PRIMARY KEY NOT NULL,
	"first_on" date NOT NULL,
	"first_day_cost" numeric(20, 2) DEFAULT '0' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_response_days" (
	"day" date NOT NULL,
	"score" smallint NOT NULL,
	"responses" integer NOT NULL,
	CONSTRAINT "rollup_response_days_day_score_pk" PRIMARY KEY("day","score")
);
--> statement-breakpoint
CREATE TABLE "rollup_spot_fix_days" (
	"day" date NOT NULL,
	"category" text NOT NULL,
	"fixes" integer NOT NULL,
	"cost" numeric(20, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "rollup_spot_fix_days_day_category_pk" PRIMARY KEY("day","category")
);
--> statement-breakpoint
CREATE INDEX "rollup_customer_cohorts_empty_idx" ON "rollup_customer_cohorts" USING btree ("acquired_month") WHERE "rollup_customer_cohorts"."customers" = 0;--> statement-breakpoint
CREATE INDEX "rollup_customer_days_empty_idx" ON "rollup_customer_days" USING btree ("day") WHERE "rollup_customer_days"."acquired" = 0 and "rollup_customer_days"."churned" = 0;--> statement-breakpoint
CREATE INDEX "rollup_issue_first_fixes_first_on_idx" ON "rollup_issue_first_fixes" USING btree ("first_on");--> statement-breakpoint
CREATE INDEX "rollup_response_days_empty_idx" ON "rollup_response_days" USING btree ("day") WHERE "rollup_response_days"."responses" = 0;--> statement-breakpoint
CREATE INDEX "rollup_spot_fix_days_empty_idx" ON "rollup_spot_fix_days" USING btree ("day") WHERE "rollup_spot_fix_days"."fixes" = 0;