ALTER TABLE "spot_fixes" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_responses" ALTER COLUMN "customer_id" DROP NOT NULL;