-- Meetings that cannot be held, check-ins and contact requests.

-- Why a session is not held in person: a quick-choice key, or 'other' (typed words stay
-- in the notice itself and are not stored).
ALTER TABLE sessions ADD COLUMN reason TEXT;

CREATE TABLE checkins (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    -- The broadcasts that carry it, and the week's tip with it, to the group's chats.
    broadcast_id     INTEGER REFERENCES broadcasts (id),
    tip_broadcast_id INTEGER REFERENCES broadcasts (id),
    opens_at   TEXT NOT NULL,
    closes_at  TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'scheduled'
               CHECK (state IN ('scheduled', 'cancelled', 'closed'))
);
CREATE INDEX checkins_closing ON checkins (state, closes_at);

-- One row per person and check-in, under their pseudonym; changeable until it closes.
CREATE TABLE checkin_answers (
    checkin_id  INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    pseudonym   TEXT NOT NULL,
    week        INTEGER CHECK (week BETWEEN 1 AND 3),
    plan        TEXT CHECK (plan IN ('yes', 'partly', 'no', 'none')),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (checkin_id, pseudonym)
);

-- "Please contact me": the Telegram id is kept so a leader can reach the person, until
-- a leader marks it handled (and is erased with the person's other rows).
CREATE TABLE contact_requests (
    id         INTEGER PRIMARY KEY,
    checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    handled_at TEXT,
    UNIQUE (checkin_id, user_id)
);
