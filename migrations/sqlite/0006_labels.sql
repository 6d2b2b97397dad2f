-- Labels, documents, claims (F4).

-- One order's label as a one-page PDF, as the marketplace gave it (converted from PNG
-- for WB), so a second batch or a supply's PDF does not ask the marketplace again.
CREATE TABLE label_files (
    order_id BIGINT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    pdf BLOB NOT NULL,
    fetched_at BIGINT NOT NULL
);

-- A file made for a chat (merged labels, a pick list, a supply's QR code), kept until
-- the alert that carries it is sent.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

-- Who on the warehouse took an order to pack.
CREATE TABLE claims (
    order_id BIGINT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    claimed_at BIGINT NOT NULL
);

-- WB sticker size per cabinet: 58x40 or 40x30 mm.
ALTER TABLE cabinets ADD COLUMN label_size TEXT NOT NULL DEFAULT '58x40';

-- An order line's barcode, when the marketplace or the catalogue told it.
ALTER TABLE order_items ADD COLUMN barcode TEXT;

-- Keys of presses that must act once (creating a WB supply): the first press holds it.
CREATE TABLE once_keys (
    key TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
