ALTER TABLE "metrics" DROP COLUMN "target";--> statement-breakpoint
ALTER TABLE "metrics" DROP COLUMN "at_risk_threshold";