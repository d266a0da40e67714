-- What a broadcast is for, decided when it is queued: a contact with the group (its chat or
-- a participant's private chat) or staff mail (leaders' summaries, coordinators' figures).
-- Only contacts are logged as deliveries, so only they count in the figures.
ALTER TABLE broadcasts ADD COLUMN audience TEXT NOT NULL DEFAULT 'group'
    CHECK (audience IN ('group', 'staff'));
UPDATE broadcasts SET audience = 'staff'
    WHERE content_key LIKE 'summary:%' OR content_key LIKE 'weekly:%';
