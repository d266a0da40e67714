-- migrate: foreign-keys-off
-- No time, row id or row order may join a pseudonymous row to an identified one (without
-- the key, a pseudonym must stay a pseudonym). Pseudonymous rows keep only what the
-- figures need; identified rows lose the times that would match them.

-- Contact events: their append-only triggers are dropped for this one rewrite.
DROP TRIGGER contact_events_append_only;
DROP TRIGGER contact_events_no_delete;
-- Old events to the hour (SQL knows no time zones; the code dates new ones by local day,
-- and whole-hour offsets keep every event in its local day and week).
UPDATE contact_events SET occurred_at = strftime('%Y-%m-%d %H:00:00', occurred_at);
-- Random ids: the table's order no longer follows the order things happened in.
UPDATE contact_events SET id = 1 + abs(random() % 4611686018427387904);
-- A contact request and a delivery are identified rows of their own: the events that
-- mirror them one to one are counted, not attributed.
UPDATE contact_events SET pseudonym = NULL
WHERE kind IN ('contact_requested', 'delivery_sent', 'delivery_blocked', 'delivery_failed');

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

-- Memberships: no join time, and WITHOUT ROWID so rows are kept in key order, not in
-- the order people joined (which would match the join events' order).
CREATE TABLE memberships_new (
    group_id         INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES people (user_id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('leader', 'participant')),
    private_messages INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
INSERT INTO memberships_new (group_id, user_id, role, private_messages)
    SELECT group_id, user_id, role, private_messages FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_new RENAME TO memberships;
CREATE INDEX memberships_user ON memberships (user_id);

-- When a person first came: the same time as their join.
ALTER TABLE people DROP COLUMN created_at;

-- Check-in answers and action plans: no time of their own (a check-in and a week say
-- enough), and key order, not insertion order.
CREATE TABLE checkin_answers_new (
    checkin_id  INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    pseudonym   TEXT NOT NULL,
    week        INTEGER CHECK (week BETWEEN 1 AND 3),
    plan        TEXT CHECK (plan IN ('yes', 'partly', 'no', 'none')),
    PRIMARY KEY (checkin_id, pseudonym)
) WITHOUT ROWID;
INSERT INTO checkin_answers_new (checkin_id, pseudonym, week, plan)
    SELECT checkin_id, pseudonym, week, plan FROM checkin_answers;
DROP TABLE checkin_answers;
ALTER TABLE checkin_answers_new RENAME TO checkin_answers;

CREATE TABLE action_plans_new (
    pseudonym  TEXT NOT NULL,
    week       TEXT NOT NULL,  -- ISO week, e.g. 2026-W48
    confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 10),
    followed   TEXT CHECK (followed IN ('yes', 'partly', 'no')),
    PRIMARY KEY (pseudonym, week)
) WITHOUT ROWID;
INSERT INTO action_plans_new (pseudonym, week, confidence, followed)
    SELECT pseudonym, week, confidence, followed FROM action_plans;
DROP TABLE action_plans;
ALTER TABLE action_plans_new RENAME TO action_plans;
