-- A cabinet's rate-limit buckets as the last job on it left them, so the next job (in any
-- process) starts from what the marketplace has counted, not from a full bucket.
CREATE TABLE rate_buckets (
    cabinet_id INTEGER NOT NULL,
    grp TEXT NOT NULL,
    tokens REAL NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (cabinet_id, grp)
);

-- A rule's hold on an order's units: NULL as its status says (open orders hold), 1 held
-- whatever its status until it is handed over or ends, 0 not held though open.
ALTER TABLE orders ADD COLUMN hold BIGINT;
