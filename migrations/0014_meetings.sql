-- Meeting reminders, a group's meeting place, follow-up meetings and the closing message.

-- A group's meeting settings; no row means the defaults (reminders on, the day before at
-- 18.00, none two hours before, no place given). The place is the group's own text (not
-- personal data), capped like the code caps it.
CREATE TABLE meeting_settings (
    group_id      INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    place         TEXT CHECK (place IS NULL OR length(place) BETWEEN 1 AND 100),
    reminders_on  INTEGER NOT NULL DEFAULT 1 CHECK (reminders_on IN (0, 1)),
    reminder_time TEXT NOT NULL DEFAULT '18:00',
    early         INTEGER NOT NULL DEFAULT 0 CHECK (early IN (0, 1)),
    closing_asked INTEGER NOT NULL DEFAULT 0 CHECK (closing_asked IN (0, 1)),
    closing_sent  INTEGER NOT NULL DEFAULT 0 CHECK (closing_sent IN (0, 1))
);

-- Each reminder queued, for the start time it named: claimed in the transaction that
-- queues it, so it goes once across a restart; a moved session gets a new one.
CREATE TABLE session_reminders (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('day', 'early')),
    starts_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, starts_at)
) WITHOUT ROWID;

INSERT INTO dialog_kinds (kind) VALUES ('meeting_place'), ('reminder_time'), ('add_session');
