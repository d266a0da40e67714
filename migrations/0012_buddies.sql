-- Phone buddies (kaveripuhelu): participants who opted in, paired (two, or three when the
-- number is odd) for a weekly call. No names, no phone numbers: the introduction is a link
-- that opens a chat with the other person. A call is counted as a contact event under the
-- pseudonym, dated by the Monday of its week; these rows only say who is paired (/forget
-- deletes them), never which pair talked: that would link the event's pseudonym back.
INSERT INTO event_kinds (kind) VALUES ('buddy_call');

CREATE TABLE buddy_pairs (
    id        INTEGER PRIMARY KEY,
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    asks_at   TEXT NOT NULL,  -- UTC: the next weekly question "did you talk?"
    asked_at  TEXT            -- UTC: the last question; its answers count for its week
);
CREATE INDEX buddy_pairs_asks ON buddy_pairs (asks_at);

-- A volunteer: waiting while pair_id is NULL.
CREATE TABLE buddies (
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES people (user_id) ON DELETE CASCADE,
    pair_id   INTEGER REFERENCES buddy_pairs (id) ON DELETE SET NULL,
    nudged_on TEXT,  -- local day of the last "please write to me": one a day
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX buddies_pair ON buddies (pair_id);

-- A pair's call this week is counted once: the key is a keyed hash (HMAC, the pseudonym key)
-- of the pair and its question, so without the key no row says which pair talked. Only the
-- current question's key is kept.
CREATE TABLE buddy_calls (call_key TEXT PRIMARY KEY) WITHOUT ROWID;
