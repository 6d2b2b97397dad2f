-- Quiet hours (F7): a group or a person holds alerts of the kinds it chose between two
-- times of day (the workspace's zone); what was held comes as one digest at the end.
CREATE TABLE quiet_hours (
    chat_id BIGINT PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    -- Minutes after local midnight; `from_minute` > `to_minute` spans midnight.
    from_minute BIGINT NOT NULL,
    to_minute BIGINT NOT NULL,
    -- The event kinds held (EventKind codes), as a JSON list.
    kinds TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A delivery held for quiet hours: told in the digest when they end.
ALTER TABLE deliveries ADD COLUMN held BIGINT NOT NULL DEFAULT 0;
