-- Every deployment has one organisation row and the three metrics, so no query has to handle their absence.
INSERT INTO "organisation" ("id", "name", "currency") VALUES (1, 'Your company', 'USD') ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "metrics" ("key", "name", "direction", "target", "at_risk_threshold") VALUES
  ('retention', 'Customer retention rate', 'higher_is_better', 0.95, 0.90),
  ('recommendation', 'Recommendation rate', 'higher_is_better', 0.50, 0.40),
  ('spot_fix_cost', 'Cost of spot fixes', 'lower_is_better', 40000, 50000)
ON CONFLICT DO NOTHING;
