-- E-mail addresses a company's alerts and rules may write to (F7), each confirmed by a
-- code sent to it, and the deliveries to them (claimed with an owner and a lease, as the
-- chat deliveries are).
CREATE TABLE emails (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    confirmed_at BIGINT,
    -- SHA-256 of the code sent, while it waits; tries made against it.
    code_hash TEXT,
    code_expires_at BIGINT,
    tries BIGINT NOT NULL DEFAULT 0,
    -- The event kinds it hears, as ",new-order,key-problem,".
    events TEXT NOT NULL DEFAULT ',',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, address)
);

CREATE TABLE mail_deliveries (
    id BIGSERIAL PRIMARY KEY,
    outbox_id BIGINT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    email_id BIGINT NOT NULL REFERENCES emails(id) ON DELETE CASCADE,
    -- pending, sending, sent, failed, unknown (a send cut short by a crash).
    state TEXT NOT NULL DEFAULT 'pending',
    due_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until BIGINT,
    sent_at BIGINT,
    UNIQUE (outbox_id, email_id)
);
CREATE INDEX mail_deliveries_due ON mail_deliveries(state, due_at);
