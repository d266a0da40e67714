-- Each delivery may carry its own deadline: transient trouble (timeouts, 5xx, 429) is
-- retried until then, never given up after a count of attempts. NULL: until delivered.
-- (A time, no id: nothing here for /forget or retention to erase.)
ALTER TABLE deliveries ADD COLUMN deadline_at TEXT;
