-- Edited messages keep their seq with the new text; when, marks them as edited.
ALTER TABLE message ADD COLUMN edited_at TIMESTAMP;

-- Members a room's owner or moderators muted: they read, they do not send, until until_at (null: until
-- unmuted).
CREATE TABLE room_mute (
    id        VARCHAR(26) NOT NULL,
    room_id   VARCHAR(26) NOT NULL,
    username  VARCHAR(64) NOT NULL,
    until_at  TIMESTAMP,
    muted_by  VARCHAR(64) NOT NULL,
    muted_at  TIMESTAMP   NOT NULL,
    CONSTRAINT room_mute_pk PRIMARY KEY (id),
    CONSTRAINT room_mute_room_user UNIQUE (room_id, username),
    CONSTRAINT fk_room_mute_room_id FOREIGN KEY (room_id) REFERENCES room (id)
);
