-- Who reacted to which message with what (the frames `react` and `unreact`), at most 20 different emoji a message.
-- A reaction goes with its message when retention or a purge removes that; a deletion removes it in its transaction.
CREATE TABLE reaction (
    room_id    VARCHAR(26) NOT NULL,
    seq        BIGINT      NOT NULL,
    username   VARCHAR(64) NOT NULL,
    emoji      VARCHAR(32) NOT NULL,
    reacted_at TIMESTAMP   NOT NULL,
    CONSTRAINT reaction_pk PRIMARY KEY (room_id, seq, username, emoji),
    CONSTRAINT fk_reaction_message FOREIGN KEY (room_id, seq) REFERENCES message (room_id, seq) ON DELETE CASCADE
);
