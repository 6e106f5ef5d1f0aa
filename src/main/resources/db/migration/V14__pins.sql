-- The messages a room's owner or moderators pinned (the frames `pin`, `unpin` and `pins`), at most 50 a room. A
-- pin goes with its message when retention or a purge removes that; a deletion removes it in its transaction.
CREATE TABLE pin (
    room_id   VARCHAR(26) NOT NULL,
    seq       BIGINT      NOT NULL,
    pinned_by VARCHAR(64) NOT NULL,
    pinned_at TIMESTAMP   NOT NULL,
    CONSTRAINT pin_pk PRIMARY KEY (room_id, seq),
    CONSTRAINT fk_pin_message FOREIGN KEY (room_id, seq) REFERENCES message (room_id, seq) ON DELETE CASCADE
);
