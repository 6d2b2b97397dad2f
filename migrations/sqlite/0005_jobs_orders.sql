-- The job queue (periodic syncs per cabinet, one-off actions and deliveries) with leases,
-- orders imported from the marketplaces with their items and status history, the cursors
-- of each import, the workspace's own status mappings, and generic FBO clients.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cabinet_id BIGINT REFERENCES cabinets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- One row per periodic job of a cabinet, or per one-off job: never two of the same.
    dedupe TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL DEFAULT '{}',
    -- Seconds between runs of a periodic job; NULL for a one-off job.
    period_secs BIGINT,
    due_at BIGINT NOT NULL,
    -- Failures in a row (the retry policy's count).
    failures BIGINT NOT NULL DEFAULT 0,
    -- Times the job was claimed: above one, an earlier run may have done its work.
    runs BIGINT NOT NULL DEFAULT 0,
    -- ready, done or failed.
    state TEXT NOT NULL DEFAULT 'ready',
    lease_owner TEXT,
    lease_until BIGINT,
    last_error TEXT,
    -- Whether the failure of a periodic job has been reported (once per failing streak).
    reported BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs(state, due_at);

CREATE TABLE clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    marketplace TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (workspace_id, marketplace)
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    marketplace TEXT NOT NULL,
    scheme TEXT NOT NULL,
    -- Ozon posting number, WB order id (FBO: srid), YM order id.
    external_id TEXT NOT NULL,
    -- What the seller calls it: Ozon order number, WB rid, YM order id.
    number TEXT NOT NULL,
    shop TEXT,
    -- A second id the marketplace knows the order by (WB rid).
    alt_id TEXT,
    status TEXT NOT NULL,
    substatus TEXT NOT NULL DEFAULT '',
    unified TEXT NOT NULL,
    total BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    ship_by BIGINT,
    warehouse_id TEXT,
    cancel_reason TEXT,
    client_id BIGINT REFERENCES clients(id) ON DELETE SET NULL,
    -- Bumped on every change, so a card shown earlier can tell it is stale.
    version BIGINT NOT NULL DEFAULT 1,
    imported_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (cabinet_id, external_id)
);
CREATE INDEX orders_workspace ON orders(workspace_id, created_at);

CREATE TABLE order_items (
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    line BIGINT NOT NULL,
    -- The marketplace's product: Ozon SKU, WB chrtId or nmID, YM offer id.
    product TEXT NOT NULL,
    vendor_code TEXT NOT NULL,
    name TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    price BIGINT NOT NULL,
    PRIMARY KEY (order_id, line)
);

CREATE TABLE order_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    status TEXT NOT NULL,
    substatus TEXT NOT NULL DEFAULT '',
    unified TEXT NOT NULL,
    -- import (first seen), marketplace (changed there), action (ours), mapping (remapped).
    source TEXT NOT NULL,
    actor_user_id BIGINT
);
CREATE INDEX order_history_order ON order_history(order_id, id);

CREATE TABLE sync_cursors (
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (cabinet_id, kind)
);

-- A workspace's own mapping of a marketplace status (and substatus, '' = any) to a unified
-- status, over the defaults that ship.
CREATE TABLE status_mappings (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    marketplace TEXT NOT NULL,
    status TEXT NOT NULL,
    substatus TEXT NOT NULL DEFAULT '',
    unified TEXT NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, status, substatus)
);

-- Every marketplace status a workspace's orders were seen in, so a person can map it by
-- a short id (a button cannot carry an arbitrary status).
CREATE TABLE status_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    marketplace TEXT NOT NULL,
    status TEXT NOT NULL,
    substatus TEXT NOT NULL DEFAULT '',
    first_seen BIGINT NOT NULL,
    UNIQUE (workspace_id, marketplace, status, substatus)
);

-- Members who want alerts in their private chat too, by kind.
CREATE TABLE personal_alerts (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (workspace_id, user_id, event)
);

-- Hours before the ship-by deadline an open order is alerted.
ALTER TABLE workspaces ADD COLUMN deadline_hours BIGINT NOT NULL DEFAULT 3;
ALTER TABLE workspaces ADD COLUMN orders_every_secs BIGINT NOT NULL DEFAULT 60;
-- An order may be cancelled from its card this long after it was placed.
ALTER TABLE workspaces ADD COLUMN annul_hours BIGINT NOT NULL DEFAULT 24;

-- The alert outbox: one row per event (never two with the same dedupe key), fanned out
-- when it is raised into one delivery per chat that should hear of it.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cabinet_id BIGINT REFERENCES cabinets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dedupe TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id BIGINT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    chat_id BIGINT NOT NULL,
    -- pending, sending, sent, digested, skipped (chat gone), failed, unknown (a send cut
    -- short by a crash: never sent again, so an alert arrives at most once).
    state TEXT NOT NULL DEFAULT 'pending',
    due_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_until BIGINT,
    sent_at BIGINT,
    message_id BIGINT,
    UNIQUE (outbox_id, chat_id)
);
CREATE INDEX deliveries_due ON deliveries(state, due_at);
CREATE INDEX deliveries_chat ON deliveries(chat_id, state, sent_at);
