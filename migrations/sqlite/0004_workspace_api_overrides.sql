-- API overrides belong to a workspace (0 = the whole deployment, set by its operator), so
-- an admin of one company cannot redirect another company's requests.
CREATE TABLE api_overrides_scoped (
    workspace_id BIGINT NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    host TEXT,
    path TEXT,
    version TEXT,
    updated_by BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, name)
);
INSERT INTO api_overrides_scoped (workspace_id, name, host, path, version, updated_by, updated_at)
    SELECT 0, name, host, path, version, updated_by, updated_at FROM api_overrides;
DROP TABLE api_overrides;
ALTER TABLE api_overrides_scoped RENAME TO api_overrides;
