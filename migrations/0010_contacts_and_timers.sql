-- What a broadcast is for, decided when it is queued: a contact with the group (its chat or
-- a participant's private chat) or staff mail (leaders' summaries, coordinators' figures).
-- Only contacts are logged as deliveries, so only they count in the figures.
ALTER TABLE broadcasts ADD COLUMN audience TEXT NOT NULL DEFAULT 'group'
    CHECK (audience IN ('group', 'staff'));
UPDATE broadcasts SET audience = 'staff'
    WHERE content_key LIKE 'summary:%' OR content_key LIKE 'weekly:%';

-- A check-in planned for a meeting resolves its recipients again when it opens, so someone
-- who joined in between gets it too; 1 once that is done (a check-in sent at once: at once).
ALTER TABLE checkins ADD COLUMN opened INTEGER NOT NULL DEFAULT 0 CHECK (opened IN (0, 1));
UPDATE checkins SET opened = 1 WHERE state != 'scheduled';

-- A chat the bot was added to without a binding: it leaves at due_at unless the chat is bound
-- first. A row, not only a timer in memory, so a restart in between still leaves the chat.
CREATE TABLE pending_leaves (
    chat_id INTEGER PRIMARY KEY,  -- a group chat's (negative) id
    due_at  TEXT NOT NULL
);
