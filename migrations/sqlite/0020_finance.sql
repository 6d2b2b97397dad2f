-- Finance per order (F10): every accrual the marketplace made on an order (settled) and
-- its forecast when the order came (expected), signed as the money moves (+ to the seller).
-- A line's key is unique per cabinet, so reading the same report again adds nothing.
CREATE TABLE finance_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL,
    cabinet_id BIGINT NOT NULL,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    basis TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    amount BIGINT NOT NULL,
    at BIGINT NOT NULL,
    line_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (cabinet_id, line_key)
);
CREATE INDEX finance_lines_order ON finance_lines (order_id, basis);

-- An order's money in one row: what /finance sums and the card shows. paid_at and paid
-- record the payout shown N days after the order (a later accrual correcting it is kept in
-- the order's history).
CREATE TABLE order_money (
    order_id BIGINT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL,
    cabinet_id BIGINT NOT NULL,
    basis TEXT NOT NULL,
    revenue BIGINT NOT NULL,
    commission BIGINT NOT NULL,
    logistics BIGINT NOT NULL,
    other BIGINT NOT NULL,
    payout BIGINT NOT NULL,
    settled_at BIGINT,
    paid BIGINT,
    paid_basis TEXT,
    paid_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX order_money_workspace ON order_money (workspace_id, cabinet_id);

-- A payout shown N days after the order that a later accrual changed: kept for the card.
CREATE TABLE payout_corrections (
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    before_amount BIGINT NOT NULL,
    after_amount BIGINT NOT NULL
);
CREATE INDEX payout_corrections_order ON payout_corrections (order_id);

-- Where a cabinet's finance feed was read to (WB's report row cursor), advanced only in the
-- transaction that stored what was read.
CREATE TABLE finance_cursors (
    cabinet_id BIGINT PRIMARY KEY REFERENCES cabinets(id) ON DELETE CASCADE,
    cursor TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

ALTER TABLE workspaces ADD COLUMN finance_every_secs BIGINT NOT NULL DEFAULT 3600;
ALTER TABLE workspaces ADD COLUMN payout_days BIGINT NOT NULL DEFAULT 30;
