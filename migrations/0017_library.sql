-- The co-created library (issue 14): posts leaders offered, which a coordinator approves.
-- `parts` keeps only what Telegram needs to send an item again by file id (file ids,
-- caption or text and their entities, the album's order): the one kind of message content
-- the bot stores, because its author chose to publish it.
CREATE TABLE library_items (
    id                 INTEGER PRIMARY KEY,
    area_id            INTEGER REFERENCES areas (id),  -- NULL: every area
    author_id          INTEGER,  -- the leader who offered it (erased with them: /forget)
    author_name        TEXT,     -- only the first name they agreed to show, else NULL
    topic              TEXT NOT NULL,
    language           TEXT NOT NULL,
    title              TEXT,
    parts              TEXT NOT NULL,
    source_chat_id     INTEGER,  -- the author's chat: the coordinator's preview is a copy
    source_message_ids TEXT NOT NULL DEFAULT '[]',
    state              TEXT NOT NULL
        CHECK (state IN ('offered', 'approved', 'rejected', 'changes', 'retired')),
    reason             TEXT,
    created_at         TEXT NOT NULL,
    decided_at         TEXT,
    sent_count         INTEGER NOT NULL DEFAULT 0 CHECK (sent_count >= 0)
);
CREATE INDEX library_items_listing ON library_items (state, topic, language);

INSERT INTO event_kinds (kind) VALUES ('library_sent');
INSERT INTO dialog_kinds (kind) VALUES ('library_title');
