-- A dialogue belongs to its chat and, in a group, to the person who started it: another
-- member's or a stranger's message no longer answers or ends it. Private chats keep theirs
-- (the user is the chat); a group's dialogue from before had no owner and is dropped.
CREATE TABLE dialogue_states_by_user (
    chat_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);
INSERT INTO dialogue_states_by_user (chat_id, user_id, state, updated_at)
    SELECT chat_id, chat_id, state, updated_at FROM dialogue_states WHERE chat_id > 0;
DROP TABLE dialogue_states;
ALTER TABLE dialogue_states_by_user RENAME TO dialogue_states;

-- Whether a group's alerts show sums and prices (a group may hold people outside the
-- company): off for groups linked from now on, on for the groups that showed them so far.
ALTER TABLE chats ADD COLUMN show_money BIGINT NOT NULL DEFAULT 0;
UPDATE chats SET show_money = 1 WHERE kind <> 'private';
