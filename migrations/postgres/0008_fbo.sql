-- How often what the marketplaces hold in their own warehouses (FBO) is read back.
ALTER TABLE workspaces ADD COLUMN fbo_every_secs BIGINT NOT NULL DEFAULT 1800;
