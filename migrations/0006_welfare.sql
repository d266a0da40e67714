-- The participants a check-in asked: when it was planned, and again when it closes
-- (the answer rate's denominator; an undone check-in is simply not counted).
ALTER TABLE checkins ADD COLUMN asked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX checkins_opening ON checkins (opens_at);

-- Figures read some kinds of event in a period (answers, deliveries, joins): this keeps
-- their cost in step with the period's events of those kinds, not the whole table.
CREATE INDEX contact_events_kind ON contact_events (kind, occurred_at);

-- Who took part, counted per group and period ('2026', '2026-Q3') when a group's personal
-- rows expire, so the yearly figures stay right after the pseudonyms are gone.
CREATE TABLE group_figures (
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    period     TEXT NOT NULL,
    reached    INTEGER NOT NULL CHECK (reached >= 0),
    completers INTEGER NOT NULL CHECK (completers >= 0),
    PRIMARY KEY (group_id, period)
);
