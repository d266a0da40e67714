-- What a broadcast sends when the bot writes it itself: 'tip:<id>', 'notice:<session id>',
-- 'checkin:<check-in id>', 'summary:<check-in id>' (was: only tips).
ALTER TABLE broadcasts RENAME COLUMN tip_id TO content_key;
UPDATE broadcasts SET content_key = 'tip:' || content_key WHERE content_key IS NOT NULL;
