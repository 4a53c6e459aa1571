-- OpenAI Responses kept for previous_response_id (store not false), per key, until they expire.
CREATE TABLE stored_responses (
    id           VARCHAR(100) NOT NULL PRIMARY KEY,
    key_id       VARCHAR(40)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    input_items  TEXT NOT NULL,
    response     TEXT NOT NULL
);
CREATE INDEX stored_responses_expiry ON stored_responses (expires_at);
