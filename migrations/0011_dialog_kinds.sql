-- migrate: foreign-keys-off
-- The kinds of guided chat, as a table like event_kinds: a feature that adds a guided chat
-- adds a row in its migration (INSERT INTO dialog_kinds VALUES ('…')) instead of rebuilding
-- dialogs for a longer CHECK list.
CREATE TABLE dialog_kinds (kind TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO dialog_kinds (kind) VALUES ('new_group'), ('broadcast'), ('move_session'), ('plan');

CREATE TABLE dialogs_new (
    user_id    INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL REFERENCES dialog_kinds (kind),
    revision   INTEGER NOT NULL,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO dialogs_new (user_id, kind, revision, state, updated_at)
    SELECT user_id, kind, revision, state, updated_at FROM dialogs;
DROP TABLE dialogs;
ALTER TABLE dialogs_new RENAME TO dialogs;
