-- What changed since a cabinet's last stock push, so a push reads only what it needs.
-- A row says "this SKU's amounts may differ for this cabinet"; `mark` grows each time it
-- is marked again, so a push clears only the marks it read and a change made meanwhile
-- stays for the next one.
CREATE TABLE stock_marks (
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    sku_id BIGINT NOT NULL,
    mark BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (cabinet_id, sku_id)
);
-- When the cabinet's last full push ran; NULL: the next push reads everything (a new
-- cabinet, another formula, other warehouses or products).
ALTER TABLE cabinets ADD COLUMN stock_full_at BIGINT;
-- Products looked up by the marketplace's SKU or by vendor code within a cabinet (order
-- lines name them so).
CREATE INDEX mp_products_cabinet_sku ON mp_products(cabinet_id, sku);
CREATE INDEX mp_products_cabinet_vendor ON mp_products(cabinet_id, vendor_code);
