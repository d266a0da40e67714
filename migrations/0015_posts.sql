-- A leader's post is never lost or misread (issue 12).
-- Which groups a leader chose for a post, and what each lacked when it was queued (a group
-- with no chat, or whose chat removed the bot, gets no delivery row of its own): the report
-- names them, and the next post preselects the leader's usual choice.
CREATE TABLE broadcast_groups (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    group_id     INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    missing      TEXT CHECK (missing IN ('no_chat', 'removed')),
    PRIMARY KEY (broadcast_id, group_id)
) WITHOUT ROWID;

-- Groups whose chat removed the bot (until a chat is bound again): told apart from groups
-- that never had a chat, so the leader hears "add me again", not "add me".
CREATE TABLE removed_chats (
    group_id   INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    removed_at TEXT NOT NULL
);
