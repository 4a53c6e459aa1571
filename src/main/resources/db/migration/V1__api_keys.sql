-- API keys: only the SHA-256 of the secret is kept, with a short prefix for display.
CREATE TABLE api_keys (
    id          VARCHAR(40)  NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    key_hash    CHAR(64)     NOT NULL UNIQUE,
    key_prefix  VARCHAR(24)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);

-- Gateway-wide settings such as the hashed admin (master) key generated on first start.
CREATE TABLE gateway_settings (
    setting_name   VARCHAR(100) NOT NULL PRIMARY KEY,
    setting_value  VARCHAR(400) NOT NULL
);
