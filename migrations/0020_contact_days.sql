-- The contacts of each group, kind and day (UTC), kept by the database as events are
-- written: the year's welfare figures sum a few hundred thousand of these instead of
-- millions of events. No pseudonyms: counts only.
CREATE TABLE contact_days (
    kind     TEXT NOT NULL,
    day      TEXT NOT NULL,
    group_id INTEGER NOT NULL,
    amount   INTEGER NOT NULL,
    PRIMARY KEY (kind, day, group_id)
) WITHOUT ROWID;

INSERT INTO contact_days (kind, day, group_id, amount)
SELECT kind, date(occurred_at), group_id, sum(amount) FROM contact_events
WHERE group_id IS NOT NULL GROUP BY kind, date(occurred_at), group_id;

CREATE TRIGGER contact_days_count
AFTER INSERT ON contact_events
WHEN NEW.group_id IS NOT NULL
BEGIN
    INSERT INTO contact_days (kind, day, group_id, amount)
    VALUES (NEW.kind, date(NEW.occurred_at), NEW.group_id, NEW.amount)
    ON CONFLICT (kind, day, group_id) DO UPDATE SET amount = amount + excluded.amount;
END;

-- A deleted group's events lose their group (ON DELETE SET NULL), and with it their count.
CREATE TRIGGER contact_days_regroup
AFTER UPDATE OF group_id ON contact_events
WHEN OLD.group_id IS NOT NEW.group_id
BEGIN
    UPDATE contact_days SET amount = amount - OLD.amount
    WHERE kind = OLD.kind AND day = date(OLD.occurred_at) AND group_id = OLD.group_id;
    INSERT INTO contact_days (kind, day, group_id, amount)
    SELECT NEW.kind, date(NEW.occurred_at), NEW.group_id, NEW.amount WHERE NEW.group_id IS NOT NULL
    ON CONFLICT (kind, day, group_id) DO UPDATE SET amount = amount + excluded.amount;
END;

-- A phone call or visit taken back (a leader's undo of a double tap) is counted off again.
CREATE TRIGGER contact_days_uncount
AFTER DELETE ON contact_events
WHEN OLD.group_id IS NOT NULL
BEGIN
    UPDATE contact_days SET amount = amount - OLD.amount
    WHERE kind = OLD.kind AND day = date(OLD.occurred_at) AND group_id = OLD.group_id;
END;
