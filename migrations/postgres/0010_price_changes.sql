-- A SKU's own price rules: its cost, the lowest price we may publish, and whether price
-- lists leave it alone.
CREATE TABLE price_rules (
    sku_id BIGINT PRIMARY KEY REFERENCES skus(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cost BIGINT,
    min_guard BIGINT,
    -- 1: price lists skip it.
    no_upload BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE INDEX price_rules_workspace ON price_rules(workspace_id);

-- Every price change someone confirmed: the history, and the queue the push works from.
-- A row is queued until its marketplace has answered, so a restart sends it again.
CREATE TABLE price_changes (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES mp_products(id) ON DELETE CASCADE,
    sku_id BIGINT,
    -- The confirmation it came from (an uploads row); its report goes to chat_id.
    batch BIGINT NOT NULL,
    user_id BIGINT,
    chat_id BIGINT NOT NULL,
    -- chat, file or rule.
    source TEXT NOT NULL,
    -- Kopecks, after and before the seller's discount.
    old_price BIGINT,
    old_before BIGINT,
    new_price BIGINT NOT NULL,
    new_before BIGINT NOT NULL,
    discount_percent BIGINT NOT NULL,
    -- queued, sent, applied, rejected, pending, superseded.
    state TEXT NOT NULL,
    not_before BIGINT NOT NULL,
    sent_at BIGINT,
    checked_at BIGINT,
    applied_price BIGINT,
    error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX price_changes_queue ON price_changes(cabinet_id, state);
CREATE INDEX price_changes_product ON price_changes(product_id, sent_at);
CREATE INDEX price_changes_batch ON price_changes(batch);
CREATE INDEX price_changes_sku ON price_changes(sku_id, created_at);

ALTER TABLE workspaces ADD COLUMN price_jump_percent BIGINT NOT NULL DEFAULT 20;
