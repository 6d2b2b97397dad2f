-- The daily summary (F7, F10): the minute after local midnight a group hears it (09:00),
-- and since when (a group that turns it on hears the next one, not one already past).
ALTER TABLE chats ADD COLUMN summary_minute BIGINT NOT NULL DEFAULT 540;
ALTER TABLE chats ADD COLUMN summary_from BIGINT NOT NULL DEFAULT 0;
-- When a cabinet's key was last refused finance (NULL once a reading goes through).
ALTER TABLE cabinets ADD COLUMN finance_refused_at BIGINT;
-- What a marketplace charges the account rather than an order (WB's paid storage,
-- deductions, acceptance), kept apart: never spread over orders.
CREATE TABLE account_charges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL,
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    amount BIGINT NOT NULL,
    at BIGINT NOT NULL,
    line_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (cabinet_id, line_key)
);
