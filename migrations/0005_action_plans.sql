-- Participants' action plans. The plan's words stay in the participant's own chat (a
-- pinned card); only the week, the confidence (0-10) and, later, how it went are kept.
CREATE TABLE action_plans (
    pseudonym  TEXT NOT NULL,
    week       TEXT NOT NULL,  -- ISO week, e.g. 2026-W48
    confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 10),
    followed   TEXT CHECK (followed IN ('yes', 'partly', 'no')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (pseudonym, week)
);
