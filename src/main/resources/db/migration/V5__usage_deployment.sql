-- The deployment of a model's pool that served each call (issue 14): a model may be served by several deployments
-- (keys, regions, providers); the provider column alone no longer says which. NULL for rows written before.
ALTER TABLE usage_ledger ADD COLUMN deployment VARCHAR(100);
