-- Deliveries are claimed by one sender (`lease_owner`) and marked `sending` only right
-- before the message that carries them goes: after a crash, claimed ones go back to wait
-- and only what was in flight is in doubt. States: pending, claimed, sending, sent,
-- digested, skipped, failed, unknown.
ALTER TABLE deliveries ADD COLUMN lease_owner TEXT;
