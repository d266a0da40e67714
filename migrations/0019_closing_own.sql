-- A leader writes the group's closing message themselves: their next message is copied to
-- the group (a guided chat; nothing of the message is stored).
INSERT INTO dialog_kinds (kind) VALUES ('closing_own');
