-- Indices for paths that ran over whole tables: the alert fan-out finds a workspace's
-- groups, the deadline scan finds orders due soon, a cabinet's published stock is read.
CREATE INDEX chats_workspace_kind ON chats(workspace_id, kind);
CREATE INDEX orders_ship_by ON orders(ship_by);
CREATE INDEX mp_stocks_cabinet ON mp_stocks(cabinet_id);
