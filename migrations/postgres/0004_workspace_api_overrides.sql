-- API overrides belong to a workspace (0 = the whole deployment, set by its operator), so
-- an admin of one company cannot redirect another company's requests.
ALTER TABLE api_overrides ADD COLUMN workspace_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_overrides DROP CONSTRAINT api_overrides_pkey;
ALTER TABLE api_overrides ADD PRIMARY KEY (workspace_id, name);
