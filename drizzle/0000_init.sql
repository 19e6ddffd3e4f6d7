CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_id" integer,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commentary" (
	"id" serial PRIMARY KEY NOT NULL,
	"metric_key" text NOT NULL,
	"period" text NOT NULL,
	"body" text NOT NULL,
	"author_id" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commentary_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"commentary_id" integer NOT NULL,
	"version" integer NOT NULL,
	"body" text NOT NULL,
	"author_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"name" text,
	"segment" text,
	"acquired_on" date NOT NULL,
	"churned_on" date,
	"monthly_value" numeric(14, 2),
	"churn_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_churn_after_acquisition" CHECK ("customers"."churned_on" is null or "customers"."churned_on" >= "customers"."acquired_on")
);
--> statement-breakpoint
CREATE TABLE "executives" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"title" text NOT NULL,
	"power_core" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"session_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_stages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" text NOT NULL,
	"chunk_index" integer NOT NULL,
	"kind" text NOT NULL,
	"rows" jsonb NOT NULL,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_actions" (
	"id" serial PRIMARY KEY NOT NULL,
	"metric_key" text NOT NULL,
	"period" text NOT NULL,
	"title" text NOT NULL,
	"owner_id" integer NOT NULL,
	"due_on" date,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"key" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner_id" integer,
	"direction" text NOT NULL,
	"target" numeric(14, 4) NOT NULL,
	"at_risk_threshold" numeric(14, 4) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"data_version" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_single_row" CHECK ("organisation"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "password_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"executive_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"purpose" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "recurring_issues" (
	"issue_key" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"owner_id" integer,
	"estimated_fix_cost" numeric(14, 2),
	"fixed_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "snapshot_views" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"snapshot_id" integer NOT NULL,
	"viewed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"id" serial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"title" text NOT NULL,
	"note" text,
	"period" text NOT NULL,
	"payload" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"passcode_hash" text,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by_id" integer,
	"view_count" integer DEFAULT 0 NOT NULL,
	"last_viewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "spot_fixes" (
	"spot_fix_id" text PRIMARY KEY NOT NULL,
	"occurred_on" date NOT NULL,
	"issue" text NOT NULL,
	"issue_key" text NOT NULL,
	"category" text NOT NULL,
	"cost" numeric(14, 2) NOT NULL,
	"customer_id" text NOT NULL,
	"journey_stage" text,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"response_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"responded_on" date NOT NULL,
	"score" smallint NOT NULL,
	"touchpoint" text,
	"comment" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_responses_score_range" CHECK ("survey_responses"."score" between 0 and 10)
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_executives_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_executives_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commentary" ADD CONSTRAINT "commentary_metric_key_metrics_key_fk" FOREIGN KEY ("metric_key") REFERENCES "public"."metrics"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commentary" ADD CONSTRAINT "commentary_author_id_executives_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commentary_revisions" ADD CONSTRAINT "commentary_revisions_commentary_id_commentary_id_fk" FOREIGN KEY ("commentary_id") REFERENCES "public"."commentary"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commentary_revisions" ADD CONSTRAINT "commentary_revisions_author_id_executives_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_stages" ADD CONSTRAINT "import_stages_created_by_id_executives_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_actions" ADD CONSTRAINT "metric_actions_metric_key_metrics_key_fk" FOREIGN KEY ("metric_key") REFERENCES "public"."metrics"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_actions" ADD CONSTRAINT "metric_actions_owner_id_executives_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_actions" ADD CONSTRAINT "metric_actions_created_by_id_executives_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_owner_id_executives_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_tokens" ADD CONSTRAINT "password_tokens_executive_id_executives_id_fk" FOREIGN KEY ("executive_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recurring_issues" ADD CONSTRAINT "recurring_issues_owner_id_executives_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_views" ADD CONSTRAINT "snapshot_views_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_created_by_id_executives_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_revoked_by_id_executives_id_fk" FOREIGN KEY ("revoked_by_id") REFERENCES "public"."executives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_fixes" ADD CONSTRAINT "spot_fixes_issue_key_recurring_issues_issue_key_fk" FOREIGN KEY ("issue_key") REFERENCES "public"."recurring_issues"("issue_key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_token_hash_idx" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "commentary_metric_period_idx" ON "commentary" USING btree ("metric_key","period");--> statement-breakpoint
CREATE INDEX "commentary_revisions_commentary_idx" ON "commentary_revisions" USING btree ("commentary_id","version");--> statement-breakpoint
CREATE INDEX "customers_acquired_on_idx" ON "customers" USING btree ("acquired_on","churned_on");--> statement-breakpoint
CREATE INDEX "customers_churned_on_idx" ON "customers" USING btree ("churned_on");--> statement-breakpoint
CREATE UNIQUE INDEX "executives_email_idx" ON "executives" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "import_stages_import_chunk_idx" ON "import_stages" USING btree ("import_id","chunk_index");--> statement-breakpoint
CREATE INDEX "metric_actions_metric_period_idx" ON "metric_actions" USING btree ("metric_key","period");--> statement-breakpoint
CREATE UNIQUE INDEX "password_tokens_token_hash_idx" ON "password_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_subject_at_idx" ON "sign_in_attempts" USING btree ("subject","at");--> statement-breakpoint
CREATE INDEX "snapshot_views_snapshot_idx" ON "snapshot_views" USING btree ("snapshot_id","viewed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "snapshots_token_hash_idx" ON "snapshots" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "snapshots_created_at_idx" ON "snapshots" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "spot_fixes_occurred_on_idx" ON "spot_fixes" USING btree ("occurred_on");--> statement-breakpoint
CREATE INDEX "spot_fixes_issue_key_occurred_on_idx" ON "spot_fixes" USING btree ("issue_key","occurred_on");--> statement-breakpoint
CREATE INDEX "survey_responses_responded_on_idx" ON "survey_responses" USING btree ("responded_on","score");