-- What each marketplace shows for each product of a cabinet, as last read back.
CREATE TABLE prices (
    product_id BIGINT PRIMARY KEY REFERENCES mp_products(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cabinet_id BIGINT NOT NULL REFERENCES cabinets(id) ON DELETE CASCADE,
    -- Kopecks: before the seller's discount, after it, the marketplace's floor and promo.
    price BIGINT NOT NULL,
    after_discount BIGINT NOT NULL,
    discount_percent BIGINT NOT NULL,
    min_price BIGINT,
    promo_price BIGINT,
    currency TEXT NOT NULL DEFAULT 'RUB',
    read_at BIGINT NOT NULL
);
CREATE INDEX prices_cabinet ON prices(cabinet_id);

ALTER TABLE workspaces ADD COLUMN prices_every_secs BIGINT NOT NULL DEFAULT 3600;
