-- What operators need: archived rooms, deleted messages (their text is gone, the row keeps the seq),
-- deletion events that point at their message, server-wide mutes and bans, the audit trail, and an index
-- for purging by age.

ALTER TABLE room ADD COLUMN archived_at TIMESTAMP;

ALTER TABLE message ADD COLUMN deleted_at TIMESTAMP;
ALTER TABLE message ADD COLUMN target_seq BIGINT;
CREATE INDEX message_created_at ON message (created_at);

CREATE TABLE user_sanction (
    username   VARCHAR(64) NOT NULL,
    kind       VARCHAR(8)  NOT NULL,
    until_at   TIMESTAMP,
    imposed_by VARCHAR(64) NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    CONSTRAINT user_sanction_pk PRIMARY KEY (username, kind)
);

CREATE TABLE audit_entry (
    id         VARCHAR(26)   NOT NULL,
    created_at TIMESTAMP     NOT NULL,
    actor      VARCHAR(64)   NOT NULL,
    action     VARCHAR(32)   NOT NULL,
    target     VARCHAR(200),
    detail     VARCHAR(1000),
    CONSTRAINT audit_entry_pk PRIMARY KEY (id)
);
CREATE INDEX audit_entry_created_at ON audit_entry (created_at);
