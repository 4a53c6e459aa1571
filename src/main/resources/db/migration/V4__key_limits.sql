-- Per-key limits (issue 6), all optional: NULL means "no limit".
-- allowed_models holds a JSON array of patterns ("openai/*"); budget_amount is US dollars per budget_period
-- (daily, monthly or total; periods start at 00:00 UTC).
ALTER TABLE api_keys ADD COLUMN allowed_models VARCHAR(4000);
ALTER TABLE api_keys ADD COLUMN rpm INTEGER;
ALTER TABLE api_keys ADD COLUMN tpm BIGINT;
ALTER TABLE api_keys ADD COLUMN budget_amount DECIMAL(20, 10);
ALTER TABLE api_keys ADD COLUMN budget_period VARCHAR(10);
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
