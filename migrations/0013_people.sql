-- A chat's deliveries go in the order queued: the sender looks up earlier ones by chat.
CREATE INDEX deliveries_chat ON deliveries (chat_id, state);

-- A leader may take back a phone call or visit they logged by mistake (a double tap).
-- Such an event names no one (no pseudonym), so removing one of a day's identical rows
-- is exactly the undo; every other event stays append-only.
DROP TRIGGER contact_events_no_delete;
CREATE TRIGGER contact_events_no_delete
BEFORE DELETE ON contact_events
WHEN OLD.kind NOT IN ('phone_contact', 'visit') OR OLD.pseudonym IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'contact events are append-only');
END;

-- A leader answering a participant's message: a guided chat (whom to, in memory only).
INSERT INTO dialog_kinds (kind) VALUES ('answer_participant');
