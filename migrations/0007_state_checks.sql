-- migrate: foreign-keys-off
-- CHECK constraints on the state and kind columns that had none, so a typo in code cannot
-- store a state nothing reads. SQLite cannot add a CHECK to a table: each one is rebuilt
-- (create, copy, drop, rename, indexes and triggers again), with foreign keys off around
-- the transaction and `PRAGMA foreign_key_check` before it commits (the runner does both).

CREATE TABLE sessions_new (
    id        INTEGER PRIMARY KEY,
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    starts_at TEXT NOT NULL,
    state     TEXT NOT NULL DEFAULT 'planned'
              CHECK (state IN ('planned', 'remote', 'cancelled')),
    reason    TEXT CHECK (reason IN ('ill', 'weather', 'exceptional', 'other')),
    UNIQUE (group_id, number)
);
INSERT INTO sessions_new (id, group_id, number, starts_at, state, reason)
    SELECT id, group_id, number, starts_at, state, reason FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;

CREATE TABLE deliveries_new (
    id              INTEGER PRIMARY KEY,
    broadcast_id    INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    group_id        INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    chat_id         INTEGER NOT NULL,
    private         INTEGER NOT NULL,
    -- pending → sending → sent | failed | blocked; cancelled, missed;
    -- a sent one that is taken back: retracting → retracted.
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked',
                                     'cancelled', 'missed', 'retracting', 'retracted')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    due_at          TEXT NOT NULL,
    message_ids     TEXT,
    error           TEXT,
    updated_at      TEXT NOT NULL,
    UNIQUE (broadcast_id, chat_id)
);
INSERT INTO deliveries_new (id, broadcast_id, group_id, chat_id, private, state, attempts,
                            due_at, message_ids, error, updated_at)
    SELECT id, broadcast_id, group_id, chat_id, private, state, attempts,
           due_at, message_ids, error, updated_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (state, due_at);
CREATE INDEX deliveries_broadcast ON deliveries (broadcast_id, state);

CREATE TABLE dialogs_new (
    user_id    INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('new_group', 'broadcast', 'move_session', 'plan')),
    revision   INTEGER NOT NULL,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO dialogs_new (user_id, kind, revision, state, updated_at)
    SELECT user_id, kind, revision, state, updated_at FROM dialogs;
DROP TABLE dialogs;
ALTER TABLE dialogs_new RENAME TO dialogs;

-- The kinds of contact event, as a table: a feature that logs a new kind adds a row in its
-- migration (INSERT INTO event_kinds VALUES ('…')), not another rebuild of the largest table.
CREATE TABLE event_kinds (kind TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO event_kinds (kind) VALUES
    ('group_created'), ('leader_joined'), ('chat_bound'), ('participant_joined'),
    ('participant_left'), ('broadcast_queued'), ('delivery_sent'), ('delivery_blocked'),
    ('delivery_failed'), ('session_remote'), ('session_cancelled'), ('checkin_sent'),
    ('checkin_answered'), ('contact_requested'), ('contact_handled'), ('phone_contact'),
    ('visit'), ('plan_made'), ('plan_followed_up');

-- Append-only: participants appear only as keyed pseudonyms (HMAC), never by id.
CREATE TABLE contact_events_new (
    id          INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    area_id     INTEGER REFERENCES areas (id),
    group_id    INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    kind        TEXT NOT NULL REFERENCES event_kinds (kind),
    pseudonym   TEXT,
    amount      INTEGER NOT NULL DEFAULT 1 CHECK (amount >= 0)
);
INSERT INTO contact_events_new (id, occurred_at, area_id, group_id, kind, pseudonym, amount)
    SELECT id, occurred_at, area_id, group_id, kind, pseudonym, amount FROM contact_events;
DROP TABLE contact_events;  -- its triggers go with it
ALTER TABLE contact_events_new RENAME TO contact_events;
CREATE INDEX contact_events_time ON contact_events (occurred_at);
CREATE INDEX contact_events_kind ON contact_events (kind, occurred_at);

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
