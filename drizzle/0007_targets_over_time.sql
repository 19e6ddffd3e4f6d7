CREATE TABLE "metric_targets" (
	"id" serial PRIMARY KEY NOT NULL,
	"metric_key" text NOT NULL,
	"granularity" text NOT NULL,
	"effective_from" date NOT NULL,
	"target" numeric(14, 4),
	"at_risk_threshold" numeric(14, 4),
	"set_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_targets_both_or_neither" CHECK (("metric_targets"."target" is null) = ("metric_targets"."at_risk_threshold" is null)),
	CONSTRAINT "metric_targets_month_is_set" CHECK ("metric_targets"."granularity" <> 'month' or "metric_targets"."target" is not null)
);
--> statement-breakpoint
ALTER TABLE "metrics" ADD COLUMN "data_since" date;--> statement-breakpoint
ALTER TABLE "metric_targets" ADD CONSTRAINT "metric_targets_metric_key_metrics_key_fk" FOREIGN KEY ("metric_key") REFERENCES "public"."metrics"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_targets" ADD CONSTRAINT "metric_targets_set_by_id_executives_id_fk" FOREIGN KEY ("set_by_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "metric_targets_metric_granularity_from_idx" ON "metric_targets" USING btree ("metric_key","granularity","effective_from");--> statement-breakpoint
-- The targets set so far become monthly targets in force from the beginning; quarters and years derive from them.
INSERT INTO "metric_targets" ("metric_key", "granularity", "effective_from", "target", "at_risk_threshold")
SELECT "key", 'month', DATE '1900-01-01', "target", "at_risk_threshold" FROM "metrics";
