-- Invitation links (the frames `link` and `unlink`, and `join` with a `code`): at most 100 in force a room, each
-- until it expires or the room's owner or a moderator removes the room's links. Rooms are never deleted.
CREATE TABLE room_link (
    code       VARCHAR(64) NOT NULL,
    room_id    VARCHAR(26) NOT NULL,
    created_by VARCHAR(64) NOT NULL,
    expires_at TIMESTAMP   NOT NULL,
    CONSTRAINT room_link_pk PRIMARY KEY (code),
    CONSTRAINT fk_room_link_room FOREIGN KEY (room_id) REFERENCES room (id)
);
CREATE INDEX room_link_room ON room_link (room_id);
