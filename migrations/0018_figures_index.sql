-- The figures' reads of some kinds of event in a period (people reached, answers,
-- deliveries, joins) find everything they need in the index, without a visit to each row:
-- the rows are in random order (random ids), so each visit was a read of its own page.
-- It takes the place of (kind, occurred_at), which it begins with.
DROP INDEX contact_events_kind;
CREATE INDEX contact_events_kind ON contact_events (kind, occurred_at, group_id, pseudonym, amount);
