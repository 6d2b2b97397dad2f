-- Catalogue and stocks (F2, F5).

-- Our own nomenclature: what the seller keeps on the shelf.
CREATE TABLE skus (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    -- The seller's SKU code, unique in the workspace.
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    vendor_code TEXT NOT NULL DEFAULT '',
    weight_g BIGINT,
    -- Low-stock threshold; NULL takes the workspace's default.
    low_stock BIGINT,
    -- 0: never published to any marketplace.
    publish BIGINT NOT NULL DEFAULT 1,
    -- The SKU's own formula (JSON), over the cabinet's; NULL takes the cabinet's.
    formula TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (workspace_id, code)
);
CREATE INDEX skus_vendor ON skus(workspace_id, vendor_code);

CREATE TABLE sku_barcodes (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    sku_id BIGINT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    barcode TEXT NOT NULL,
    PRIMARY KEY (sku_id, barcode)
);
CREATE INDEX sku_barcodes_code ON sku_barcodes(workspace_id, barcode);

-- A marketplace product as the last catalogue import saw it (one size for WB).
CREATE TABLE mp_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    -- product_id (Ozon), nmID (WB), offerId (YM).
    external_id TEXT NOT NULL,
    -- Ozon SKU, WB chrtId, YM marketSku; '' when none.
    sku TEXT NOT NULL DEFAULT '',
    vendor_code TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT,
    -- Space-separated.
    barcodes TEXT NOT NULL DEFAULT '',
    seen_at BIGINT NOT NULL,
    -- Set when an import no longer lists it.
    gone_at BIGINT,
    UNIQUE (cabinet_id, external_id, sku)
);
CREATE INDEX mp_products_vendor ON mp_products(workspace_id, vendor_code);

-- Many-to-many: a marketplace product sells one or more SKUs (a kit), and a SKU is sold
-- as products on several cabinets.
CREATE TABLE sku_links (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    sku_id BIGINT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES mp_products(id) ON DELETE CASCADE,
    -- barcode, vendor-code, manual, created
    how TEXT NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, sku_id)
);
CREATE INDEX sku_links_sku ON sku_links(sku_id);

-- A product the seller unlinked by hand is never linked to that SKU automatically again.
CREATE TABLE sku_unlinked (
    sku_id BIGINT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES mp_products(id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, sku_id)
);

-- A cabinet's warehouses as the marketplace lists them.
CREATE TABLE mp_warehouses (
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    warehouse_id TEXT NOT NULL,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    -- The marketplace's own warehouse (FBO): stock there is read, never set.
    fbo BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (cabinet_id, warehouse_id)
);

-- Our own warehouses.
CREATE TABLE stores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE stock (
    sku_id BIGINT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    store_id BIGINT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    quantity BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (sku_id, store_id)
);

-- Every change of a stock level: who, when, why, old -> new.
CREATE TABLE stock_moves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    sku_id BIGINT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    store_id BIGINT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    user_id BIGINT,
    -- chat, file, count
    source TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    before_qty BIGINT NOT NULL,
    after_qty BIGINT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX stock_moves_sku ON stock_moves(sku_id, at);

-- The formula of a cabinet's warehouse ('' = every warehouse of the cabinet).
CREATE TABLE stock_rules (
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    warehouse_id TEXT NOT NULL,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    formula TEXT NOT NULL,
    PRIMARY KEY (cabinet_id, warehouse_id)
);

-- What a marketplace last accepted for a product in a warehouse, and its last refusal.
CREATE TABLE stock_published (
    product_id BIGINT NOT NULL REFERENCES mp_products(id) ON DELETE CASCADE,
    warehouse_id TEXT NOT NULL,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    amount BIGINT,
    pushed_at BIGINT,
    error TEXT,
    error_at BIGINT,
    PRIMARY KEY (product_id, warehouse_id)
);
CREATE INDEX stock_published_cabinet ON stock_published(cabinet_id);

-- What a marketplace reports it holds (FBS as published, FBO on its own warehouses).
CREATE TABLE mp_stocks (
    product_id BIGINT NOT NULL REFERENCES mp_products(id) ON DELETE CASCADE,
    warehouse_id TEXT NOT NULL,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    present BIGINT NOT NULL,
    reserved BIGINT NOT NULL,
    read_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, warehouse_id)
);

ALTER TABLE workspaces ADD COLUMN stocks_every_secs BIGINT NOT NULL DEFAULT 300;
ALTER TABLE workspaces ADD COLUMN catalogue_every_secs BIGINT NOT NULL DEFAULT 21600;
ALTER TABLE workspaces ADD COLUMN low_stock_default BIGINT NOT NULL DEFAULT 5;

-- A file someone sent, read into a preview that waits for their confirmation.
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    -- stock, nomenclature
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    applied_at BIGINT
);
