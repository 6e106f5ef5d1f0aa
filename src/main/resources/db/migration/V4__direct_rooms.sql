-- A direct conversation is a room of two: its owner and its peer (null in every other room).
ALTER TABLE room ADD COLUMN peer VARCHAR(64);
