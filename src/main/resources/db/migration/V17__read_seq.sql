-- A membership's read marker apart from its acked seq (`ack`'s `read`): a client that shows one room at a time
-- acks what it holds in every room, and only what the person saw counts read. Up to now they were one.
ALTER TABLE membership ADD COLUMN read_seq BIGINT;
UPDATE membership SET read_seq = acked_seq;
ALTER TABLE membership ALTER COLUMN read_seq SET NOT NULL;
