-- Cabinets (F1) with sealed credentials, alert-group subscriptions, workspace defaults.
CREATE TABLE cabinets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    marketplace TEXT NOT NULL,
    name TEXT NOT NULL,
    scheme TEXT NOT NULL,
    is_main BIGINT NOT NULL DEFAULT 0,
    enabled BIGINT NOT NULL DEFAULT 1,
    -- Public ids: Ozon Client-Id, WB seller id, YM business id; YM campaign.
    account TEXT,
    shop TEXT,
    shop_name TEXT,
    -- Sealed with the master key (secrets.rs); NULL once the cabinet is archived.
    credentials TEXT,
    key_expires_at BIGINT,
    -- When the scheduler last checked the key live.
    key_checked_at BIGINT,
    last_sync_at BIGINT,
    last_error TEXT,
    last_error_at BIGINT,
    archived_at BIGINT,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cabinets_workspace ON cabinets(workspace_id, marketplace);

-- What an alert group receives: event kinds, and cabinets (none listed = all).
CREATE TABLE group_events (
    chat_id BIGINT NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    PRIMARY KEY (chat_id, event)
);
CREATE TABLE group_cabinets (
    chat_id BIGINT NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, cabinet_id)
);

ALTER TABLE workspaces ADD COLUMN default_lang TEXT NOT NULL DEFAULT 'ru';

-- One live cabinet per account (and YM shop) in a workspace, even with racing saves.
CREATE UNIQUE INDEX cabinets_account ON cabinets(workspace_id, marketplace, account, COALESCE(shop, ''))
    WHERE archived_at IS NULL AND account IS NOT NULL;
