-- Nobody left waiting: a contact request no leader marks handled in time gets one reminder
-- to the leaders, then goes to the area's coordinators. Each step is claimed in the same
-- transaction that queues its messages, so a restart neither loses nor repeats it.
ALTER TABLE contact_requests ADD COLUMN reminded_at TEXT;
ALTER TABLE contact_requests ADD COLUMN escalated_at TEXT;
CREATE INDEX contact_requests_waiting ON contact_requests (created_at) WHERE escalated_at IS NULL;

-- The weekly figures count requests handled late (after the escalation time) and passed on.
INSERT INTO event_kinds (kind) VALUES ('contact_handled_late'), ('contact_escalated');

-- Coordinators reach their leaders: a message to leaders waiting for its choices, and a
-- leader's one-tap answer to it (copied to the coordinator, never stored).
INSERT INTO dialog_kinds (kind) VALUES ('leaders_post'), ('answer_coordinator');
