-- Admin overrides of the API catalogue (F9): host, path or version of one endpoint.
CREATE TABLE api_overrides (
    name TEXT PRIMARY KEY,
    host TEXT,
    path TEXT,
    version TEXT,
    updated_by BIGINT,
    updated_at BIGINT NOT NULL
);
