-- A room's topic (the frame `topic`), one line of at most 300 characters, which PostgreSQL counts as code points
-- and H2 as UTF-16 units: 600 holds it in both. Null when the room has none.
ALTER TABLE room ADD COLUMN topic VARCHAR(600);
