-- Deliveries are claimed by one sender (`lease_owner`) and marked `sending` only right
-- before the message that carries them goes: after a crash, claimed ones go back to wait
-- and only what was in flight is in doubt. States: pending, claimed, sending, sent,
-- digested, skipped, failed, unknown.
ALTER TABLE deliveries ADD COLUMN lease_owner TEXT;

-- Work the scheduler does for every workspace at a pace (key checks, deadlines, dialogue
-- expiry, removing finished work), leased like a job: with two processes it runs once.
CREATE TABLE ticks (
    name TEXT PRIMARY KEY,
    due_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT
);

-- Finished work is removed after a while, oldest first (a partial index: running jobs,
-- updated all the time, never touch it).
CREATE INDEX jobs_finished ON jobs(updated_at) WHERE state IN ('done', 'failed');
CREATE INDEX outbox_created ON outbox(created_at);

-- A cabinet's jobs run in one process at a time: its rate limits, kept per process, then
-- hold however many processes share the queue.
CREATE INDEX jobs_cabinet ON jobs(cabinet_id);
