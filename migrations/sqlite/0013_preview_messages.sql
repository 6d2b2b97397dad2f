-- A preview remembers the message it was shown in, so /cancel can close it there, and
-- whether it was cancelled (then Apply sends nothing).
ALTER TABLE uploads ADD COLUMN chat_id BIGINT;
ALTER TABLE uploads ADD COLUMN message_id BIGINT;
ALTER TABLE uploads ADD COLUMN dropped_at BIGINT;
