-- Who blocked whom: the blocker no longer gets the blocked user's messages, and refuses their direct ones.
CREATE TABLE user_block (
    blocker    VARCHAR(64) NOT NULL,
    blocked    VARCHAR(64) NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    CONSTRAINT user_block_pk PRIMARY KEY (blocker, blocked)
);
