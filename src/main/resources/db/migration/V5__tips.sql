-- A tip is a message of kind 'tip' from the giver: to whom, and how much.
ALTER TABLE message ADD COLUMN tip_to VARCHAR(64);
ALTER TABLE message ADD COLUMN amount INTEGER;
