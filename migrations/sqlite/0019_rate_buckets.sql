-- A cabinet's rate-limit buckets as the last job on it left them, so the next job (in any
-- process) starts from what the marketplace has counted, not from a full bucket.
CREATE TABLE rate_buckets (
    cabinet_id INTEGER NOT NULL,
    grp TEXT NOT NULL,
    tokens REAL NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (cabinet_id, grp)
);
