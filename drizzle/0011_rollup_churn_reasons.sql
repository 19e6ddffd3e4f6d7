CREATE TABLE "rollup_churn_reasons" (
	"churned_month" date NOT NULL,
	"reason" text NOT NULL,
	"customers" integer NOT NULL,
	"valued" integer NOT NULL,
	"value_lost" numeric(20, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "rollup_churn_reasons_churned_month_reason_pk" PRIMARY KEY("churned_month","reason")
);
--> statement-breakpoint
CREATE INDEX "rollup_churn_reasons_empty_idx" ON "rollup_churn_reasons" USING btree ("churned_month") WHERE "rollup_churn_reasons"."customers" = 0;