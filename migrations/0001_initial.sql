-- Areas (municipalities), peer groups and their session plans, people and their roles,
-- invites, guided-chat state and the append-only contact event log.
-- Times are UTC text 'YYYY-MM-DD HH:MM:SS'; local dates and times are in the configured zone.

CREATE TABLE areas (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64)
);

-- Only what is needed to reach a person: the Telegram id and their language. No names.
CREATE TABLE people (
    user_id         INTEGER PRIMARY KEY,
    language        TEXT NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
    language_chosen INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);

CREATE TABLE coordinators (
    user_id   INTEGER PRIMARY KEY REFERENCES people (user_id) ON DELETE CASCADE,
    all_areas INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE coordinator_areas (
    user_id INTEGER NOT NULL REFERENCES coordinators (user_id) ON DELETE CASCADE,
    area_id INTEGER NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, area_id)
);

CREATE TABLE groups (
    id            INTEGER PRIMARY KEY,
    area_id       INTEGER NOT NULL REFERENCES areas (id),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    language      TEXT NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    local_time    TEXT NOT NULL,
    first_date    TEXT NOT NULL,
    session_count INTEGER NOT NULL CHECK (session_count BETWEEN 1 AND 20),
    chat_id       INTEGER UNIQUE,
    created_at    TEXT NOT NULL
);
CREATE INDEX groups_area ON groups (area_id);

CREATE TABLE sessions (
    id        INTEGER PRIMARY KEY,
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    starts_at TEXT NOT NULL,
    state     TEXT NOT NULL DEFAULT 'planned',
    UNIQUE (group_id, number)
);

CREATE TABLE memberships (
    group_id         INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES people (user_id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('leader', 'participant')),
    private_messages INTEGER NOT NULL DEFAULT 0,
    joined_at        TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Tokens are stored only as SHA-256 hashes: a leaked database opens no group.
CREATE TABLE invites (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('leader', 'participant', 'chat')),
    token_hash BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    revoked_at TEXT
);
CREATE INDEX invites_group ON invites (group_id, kind);

-- The step a person is at in a guided chat; survives restarts.
CREATE TABLE dialogs (
    user_id    INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Append-only: participants appear only as keyed pseudonyms (HMAC), never by id.
CREATE TABLE contact_events (
    id          INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    area_id     INTEGER REFERENCES areas (id),
    group_id    INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    kind        TEXT NOT NULL,
    pseudonym   TEXT,
    amount      INTEGER NOT NULL DEFAULT 1 CHECK (amount >= 0)
);
CREATE INDEX contact_events_time ON contact_events (occurred_at);

-- Only erasure may touch a logged event, and only by dropping the pseudonym.
CREATE TRIGGER contact_events_append_only
BEFORE UPDATE ON contact_events
WHEN NEW.pseudonym IS NOT NULL
  OR NEW.occurred_at IS NOT OLD.occurred_at
  OR NEW.kind IS NOT OLD.kind
  OR NEW.amount IS NOT OLD.amount
  OR NEW.area_id IS NOT OLD.area_id
BEGIN
    SELECT RAISE(ABORT, 'contact events are append-only');
END;

CREATE TRIGGER contact_events_no_delete
BEFORE DELETE ON contact_events
BEGIN
    SELECT RAISE(ABORT, 'contact events are append-only');
END;
