-- The schema as Parley created it before it had migrations (EclipseLink's generated tables, same names and
-- constraints), so that databases made by those versions are baselined at version 1 and go on from here.
-- Portable SQL: the same file runs on H2 and PostgreSQL.

CREATE TABLE room (
    id            VARCHAR(26)  NOT NULL,
    name          VARCHAR(64)  NOT NULL,
    epoch         VARCHAR(32)  NOT NULL,
    last_seq      BIGINT       NOT NULL,
    owner         VARCHAR(64)  NOT NULL,
    access_mode   VARCHAR(16),
    password_hash VARCHAR(200),
    created_at    TIMESTAMP    NOT NULL,
    CONSTRAINT room_pk PRIMARY KEY (id),
    CONSTRAINT room_name UNIQUE (name)
);

CREATE TABLE membership (
    id        VARCHAR(26) NOT NULL,
    room_id   VARCHAR(26) NOT NULL,
    username  VARCHAR(64) NOT NULL,
    role      VARCHAR(16) NOT NULL,
    acked_seq BIGINT      NOT NULL,
    joined_at TIMESTAMP   NOT NULL,
    CONSTRAINT membership_pk PRIMARY KEY (id),
    CONSTRAINT membership_room_user UNIQUE (room_id, username),
    CONSTRAINT fk_membership_room_id FOREIGN KEY (room_id) REFERENCES room (id)
);
CREATE INDEX membership_user ON membership (username);

CREATE TABLE message (
    id            VARCHAR(26)    NOT NULL,
    room_id       VARCHAR(26)    NOT NULL,
    seq           BIGINT         NOT NULL,
    sender        VARCHAR(64)    NOT NULL,
    text          VARCHAR(16000) NOT NULL,
    kind          VARCHAR(16)    NOT NULL,
    reply_to      BIGINT,
    client_msg_id VARCHAR(64),
    created_at    TIMESTAMP      NOT NULL,
    CONSTRAINT message_pk PRIMARY KEY (id),
    CONSTRAINT message_room_seq UNIQUE (room_id, seq),
    CONSTRAINT message_sender_client_id UNIQUE (sender, client_msg_id),
    CONSTRAINT fk_message_room_id FOREIGN KEY (room_id) REFERENCES room (id)
);

CREATE TABLE room_ban (
    id        VARCHAR(26) NOT NULL,
    room_id   VARCHAR(26) NOT NULL,
    username  VARCHAR(64) NOT NULL,
    banned_by VARCHAR(64) NOT NULL,
    banned_at TIMESTAMP   NOT NULL,
    CONSTRAINT room_ban_pk PRIMARY KEY (id),
    CONSTRAINT room_ban_room_user UNIQUE (room_id, username),
    CONSTRAINT fk_room_ban_room_id FOREIGN KEY (room_id) REFERENCES room (id)
);

CREATE TABLE account (
    username      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    roles         VARCHAR(200) NOT NULL,
    created_at    TIMESTAMP    NOT NULL,
    CONSTRAINT account_pk PRIMARY KEY (username)
);
