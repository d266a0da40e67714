-- Broadcasts and the outbox: one delivery row per target chat, written before any API call.
-- Only chat and message ids are stored, never message content.

CREATE TABLE broadcasts (
    id                 INTEGER PRIMARY KEY,
    leader_id          INTEGER NOT NULL,
    -- What is sent: messages copied from the leader's chat, or a tip from the library.
    source_chat_id     INTEGER,
    source_message_ids TEXT,
    tip_id             TEXT,
    state              TEXT NOT NULL DEFAULT 'queued'
                       CHECK (state IN ('queued', 'done', 'cancelled', 'missed', 'taken_back')),
    report_message_id  INTEGER,
    created_at         TEXT NOT NULL,
    CHECK ((source_message_ids IS NULL) <> (tip_id IS NULL))
);

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    broadcast_id    INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    group_id        INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    chat_id         INTEGER NOT NULL,
    private         INTEGER NOT NULL,
    -- pending → sending → sent | failed | blocked; cancelled, missed;
    -- a sent one that is taken back: retracting → retracted.
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    due_at          TEXT NOT NULL,
    message_ids     TEXT,
    error           TEXT,
    updated_at      TEXT NOT NULL,
    UNIQUE (broadcast_id, chat_id)
);
CREATE INDEX deliveries_due ON deliveries (state, due_at);
CREATE INDEX deliveries_broadcast ON deliveries (broadcast_id, state);
