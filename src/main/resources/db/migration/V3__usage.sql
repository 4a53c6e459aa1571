-- The usage ledger: one row per call on a model endpoint (chat_completions, messages, responses), streamed or
-- not, successful or not. Written in batches off the request path (routes/usage-ledger.camel.yaml).
-- id is the gateway's own (request ids may come from the caller and repeat), so a batch retried after an outage
-- never counts a call twice. Costs are US dollars, exact: provider_cost at list price, billed_cost with the markup;
-- both null for an unpriced model. usage_day is the UTC day of created_at, for per-day summaries on any database.
CREATE TABLE usage_ledger (
    id                  VARCHAR(40)    NOT NULL PRIMARY KEY,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    usage_day           DATE           NOT NULL,
    key_id              VARCHAR(40)    NOT NULL,
    endpoint            VARCHAR(40)    NOT NULL,
    model               VARCHAR(200)   NOT NULL,
    provider            VARCHAR(100)   NOT NULL,
    input_tokens        BIGINT         NOT NULL,
    output_tokens       BIGINT         NOT NULL,
    cache_read_tokens   BIGINT         NOT NULL,
    cache_write_tokens  BIGINT         NOT NULL,
    reasoning_tokens    BIGINT         NOT NULL,
    provider_cost       NUMERIC(38, 15),
    billed_cost         NUMERIC(38, 15),
    latency_ms          BIGINT         NOT NULL,
    first_token_ms      BIGINT,
    status              INTEGER        NOT NULL,
    request_id          VARCHAR(200)
);
CREATE INDEX usage_ledger_time ON usage_ledger (created_at);
CREATE INDEX usage_ledger_key_time ON usage_ledger (key_id, created_at);
CREATE INDEX usage_ledger_model_time ON usage_ledger (model, created_at);
