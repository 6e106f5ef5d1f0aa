package dev.parley.store;

import dev.parley.delivery.StoredMessage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A stored message. (room, seq) is unique, the database's own guard against two nodes handing out one seq;
 * (sender, client message id) is unique, which makes sends idempotent.
 */
@Entity
@Table(name = "message", uniqueConstraints = {
        @UniqueConstraint(name = "message_room_seq", columnNames = {"room_id", "seq"}),
        @UniqueConstraint(name = "message_sender_client_id", columnNames = {"sender", "client_msg_id"})})
@NamedQuery(name = MessageEntity.BY_CLIENT_ID,
        query = "select m from MessageEntity m join fetch m.room where m.sender = :sender"
                + " and m.clientMsgId = :clientMsgId")
@NamedQuery(name = MessageEntity.AFTER,
        query = "select m from MessageEntity m where m.room.name = :room and m.seq > :after order by m.seq")
@NamedQuery(name = MessageEntity.BEFORE,
        query = "select m from MessageEntity m where m.room.name = :room and m.seq < :before order by m.seq desc")
public class MessageEntity {

    static final String BY_CLIENT_ID = "Message.byClientId";
    static final String AFTER = "Message.after";
    static final String BEFORE = "Message.before";

    /** Longest text a column holds; the configured text limit must stay below it. */
    static final int TEXT_COLUMN = 16000;

    @Id
    @Column(length = Ids.LENGTH)
    private String id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "room_id", nullable = false)
    private RoomEntity room;

    @Column(nullable = false)
    private long seq;

    @Column(nullable = false, length = 64)
    private String sender;

    @Column(nullable = false, length = TEXT_COLUMN)
    private String text;

    @Column(nullable = false, length = 16)
    private String kind;

    @Column(name = "reply_to")
    private Long replyTo;

    @Column(name = "client_msg_id", length = 64)
    private String clientMsgId;

    /** UTC. */
    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    protected MessageEntity() {
    }

    MessageEntity(String id, RoomEntity room, long seq, String sender, String text, String kind, Long replyTo,
                  String clientMsgId, LocalDateTime createdAt) {
        this.id = id;
        this.room = room;
        this.seq = seq;
        this.sender = sender;
        this.text = text;
        this.kind = kind;
        this.replyTo = replyTo;
        this.clientMsgId = clientMsgId;
        this.createdAt = createdAt;
    }

    RoomEntity room() {
        return room;
    }

    StoredMessage toStored() {
        return new StoredMessage(room.name(), seq, id, sender, text, createdAt.toInstant(ZoneOffset.UTC), kind,
                replyTo, clientMsgId);
    }
}
