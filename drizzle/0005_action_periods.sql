CREATE TABLE "metric_action_status_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"action_id" integer NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"changed_on" date NOT NULL,
	"changed_by_id" integer,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "metric_actions" ADD COLUMN "opened_on" date DEFAULT current_date NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_actions" ADD COLUMN "done_on" date;--> statement-breakpoint
ALTER TABLE "metric_actions" ADD COLUMN "issue_key" text;--> statement-breakpoint
ALTER TABLE "metric_action_status_changes" ADD CONSTRAINT "metric_action_status_changes_action_id_metric_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."metric_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_action_status_changes" ADD CONSTRAINT "metric_action_status_changes_changed_by_id_executives_id_fk" FOREIGN KEY ("changed_by_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_action_status_changes_action_idx" ON "metric_action_status_changes" USING btree ("action_id","id");--> statement-breakpoint
ALTER TABLE "metric_actions" ADD CONSTRAINT "metric_actions_issue_key_recurring_issues_issue_key_fk" FOREIGN KEY ("issue_key") REFERENCES "public"."recurring_issues"("issue_key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_actions_metric_opened_idx" ON "metric_actions" USING btree ("metric_key","opened_on","done_on");--> statement-breakpoint
ALTER TABLE "metric_actions" ADD CONSTRAINT "metric_actions_done_after_opened" CHECK ("metric_actions"."done_on" is null or "metric_actions"."done_on" >= "metric_actions"."opened_on");--> statement-breakpoint
-- Actions written before opened_on existed were filed under one period: open from the day they were
-- created, or the last day of their period if they were created after it, so that period still shows them.
UPDATE "metric_actions" SET "opened_on" = least("created_at"::date, coalesce(
  CASE
    WHEN "period" ~ '^\d{4}-\d{2}$' THEN (to_date("period" || '-01', 'YYYY-MM-DD') + interval '1 month' - interval '1 day')::date
    WHEN "period" ~ '^\d{4}-Q[1-4]$' THEN (make_date(left("period", 4)::int, (right("period", 1)::int - 1) * 3 + 1, 1) + interval '3 months' - interval '1 day')::date
    WHEN "period" ~ '^\d{4}$' THEN make_date("period"::int, 12, 31)
  END, "created_at"::date));--> statement-breakpoint
UPDATE "metric_actions" SET "done_on" = greatest("opened_on", "updated_at"::date) WHERE "status" = 'done';--> statement-breakpoint
INSERT INTO "metric_action_status_changes" ("action_id", "from_status", "to_status", "changed_on", "changed_by_id", "changed_at")
  SELECT "id", NULL, 'open', "opened_on", "created_by_id", "created_at" FROM "metric_actions" ORDER BY "id";--> statement-breakpoint
INSERT INTO "metric_action_status_changes" ("action_id", "from_status", "to_status", "changed_on", "changed_by_id", "changed_at")
  SELECT "id", 'open', "status", coalesce("done_on", "opened_on"), NULL, "updated_at" FROM "metric_actions" WHERE "status" <> 'open' ORDER BY "id";
