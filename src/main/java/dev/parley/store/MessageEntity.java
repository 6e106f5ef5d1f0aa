package dev.parley.store;

import dev.parley.delivery.StoredMessage;
import dev.parley.delivery.Tip;
import dev.parley.security.UserNames;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A stored message. (room, seq) is unique, the database's own guard against two nodes handing out one seq;
 * (sender, client message id) is unique, which makes sends idempotent.
 */
@Entity
@Table(name = "message", uniqueConstraints = {
        @UniqueConstraint(name = "message_room_seq", columnNames = {"room_id", "seq"}),
        @UniqueConstraint(name = "message_sender_client_id", columnNames = {"sender", "client_msg_id"})})
@NamedQuery(name = MessageEntity.AFTER,
        query = "select m from MessageEntity m where m.room = :room and m.seq > :after order by m.roomId, m.seq")
@NamedQuery(name = MessageEntity.BETWEEN,
        query = "select m from MessageEntity m where m.room = :room and m.seq >= :from and m.seq < :end"
                + " order by m.roomId, m.seq")
@NamedQuery(name = MessageEntity.BY_SEQ,
        query = "select m from MessageEntity m where m.room = :room and m.seq = :seq")
@NamedQuery(name = MessageEntity.BY_ROOM_AND_SEQ,
        query = "select m from MessageEntity m where m.room.name = :room and m.seq = :seq")
@NamedQuery(name = MessageEntity.BY_CLIENT_ID,
        query = "select m from MessageEntity m where m.sender = :from and m.clientMsgId = :clientMsgId")
// Read along the primary key, as every message's id is made from its time (idAt); the time itself is compared
// for the ids of the bound's own millisecond.
@NamedQuery(name = MessageEntity.OLDER_THAN,
        query = "select m.id from MessageEntity m where m.id < :idBound and m.createdAt < :before order by m.id")
@NamedQuery(name = MessageEntity.DELETE_IDS, query = "delete from MessageEntity m where m.id in :ids")
// An edit comes after its message: the seq bound reads the room's messages from there on the (room, seq) key,
// not the whole room while its row is locked (target_seq has no index of its own, which every insert would pay).
@NamedQuery(name = MessageEntity.ERASE_EDITIONS,
        query = "update MessageEntity m set m.text = '' where m.room = :room and m.seq > :target"
                + " and m.targetSeq = :target and m.kind = 'edited'")
@NamedQuery(name = MessageEntity.NAMING,
        query = "select m.sender, m.text from MessageEntity m where m.room = :room and m.seq > :after"
                + " and m.seq <= :upTo and m.kind = 'text' and m.deletedAt is null and m.sender <> :reader"
                + " and m.text like :pattern escape '\\' order by m.roomId, m.seq")
// A hello's unread count: a window of the room's seqs on the (room, seq) key, grouped for the reader's rules.
@NamedQuery(name = MessageEntity.TALLY,
        query = "select m.sender, m.kind, count(m) from MessageEntity m where m.room = :room and m.seq > :after"
                + " and m.seq <= :upTo and m.deletedAt is null group by m.sender, m.kind")
// A search reads a window of the room's seqs on the (room, seq) key, newest first, and stops at the page's end.
// Both sides are lowered by the database, by the same rules: a database that lowers ASCII letters only (a
// PostgreSQL of the C locale) still finds a non-ASCII text written in the same case.
@NamedQuery(name = MessageEntity.HOLDING,
        query = "select m from MessageEntity m where m.room = :room and m.seq >= :from and m.seq < :end"
                + " and m.kind = 'text' and m.deletedAt is null and lower(m.text) like lower(:pattern) escape '\\'"
                + " order by m.roomId desc, m.seq desc")
@NamedQuery(name = MessageEntity.PINNED,
        query = "select m from MessageEntity m, PinEntity p where p.roomId = :room and p.seq < :before"
                + " and m.roomId = p.roomId and m.seq = p.seq order by p.seq desc")
@NamedQuery(name = MessageEntity.TIP_TOTALS,
        query = "select m.tipTo, sum(m.amount) from MessageEntity m where m.room.name = :room and m.kind = 'tip'"
                + " and m.deletedAt is null group by m.tipTo")
@NamedQuery(name = MessageEntity.COUNT_BY_ROOM,
        query = "select m.room.name, count(m) from MessageEntity m group by m.room.name")
@NamedQuery(name = MessageEntity.COUNT_IN, query = "select count(m) from MessageEntity m where m.room.name = :room")
public class MessageEntity {

    static final String AFTER = "Message.after";
    static final String BETWEEN = "Message.between";
    static final String BY_SEQ = "Message.bySeq";
    static final String BY_ROOM_AND_SEQ = "Message.byRoomAndSeq";
    static final String BY_CLIENT_ID = "Message.byClientId";
    static final String OLDER_THAN = "Message.olderThan";
    static final String DELETE_IDS = "Message.deleteIds";
    static final String ERASE_EDITIONS = "Message.eraseEditions";
    static final String COUNT_BY_ROOM = "Message.countByRoom";
    static final String COUNT_IN = "Message.countIn";
    static final String NAMING = "Message.naming";
    static final String TALLY = "Message.tally";
    static final String HOLDING = "Message.holding";
    static final String TIP_TOTALS = "Message.tipTotals";
    static final String PINNED = "Message.pinned";

    /** Longest text a column holds; the configured text limit must stay below it. */
    static final int TEXT_COLUMN = 16000;

    @Id
    @Column(length = Ids.LENGTH)
    private String id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "room_id", nullable = false)
    private RoomEntity room;

    /**
     * The room's key once more, read only, to order by: H2 reads the (room_id, seq) index in order, and stops
     * at the page's end, only when asked for that order; ordered by seq alone it sorted every message after the
     * position, for each page.
     */
    @Column(name = "room_id", insertable = false, updatable = false)
    private String roomId;

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

    /** When the text was removed; null while the message stands. */
    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;

    /** The seq a deletion or edit event is about. */
    @Column(name = "target_seq")
    private Long targetSeq;

    /** A tip's receiver and amount; null in every other message. */
    @Column(name = "tip_to", length = 64)
    private String tipTo;

    private Integer amount;

    /** When the text was last replaced by its sender; null while it is the first one. */
    @Column(name = "edited_at")
    private LocalDateTime editedAt;

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

    /** A new message's time: UTC, to the millisecond. */
    static LocalDateTime timeNow() {
        return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new message's id, made from its time, so that ids sort by it. */
    static String idAt(LocalDateTime createdAt) {
        return Ids.next(createdAt.toInstant(ZoneOffset.UTC).toEpochMilli());
    }

    /**
     * An id above every message's made before {@code before} (and some made in its millisecond): the upper end of
     * the primary-key range that purging by age reads, since there is no index on the time itself.
     */
    static String idBoundAt(Instant before) {
        // No id is older than 1970: a bound before it (a purge of 36,600 days) bounds below them all, where a
        // negative time would have written an id above every one, and each purge read the whole table.
        return Ids.first(Math.max(0, before.toEpochMilli() + 1));
    }

    /** A notice of the server's in the room, with an id made from its time. */
    static MessageEntity systemLine(RoomEntity room, long seq, String text, LocalDateTime at) {
        return new MessageEntity(idAt(at), room, seq, UserNames.SYSTEM, text, StoredMessage.SYSTEM, null, null, at);
    }

    /** The event that {@code target} was deleted by {@code by}, with an id made from its time. */
    static MessageEntity deletion(RoomEntity room, long seq, String by, long target, LocalDateTime at) {
        MessageEntity event = new MessageEntity(idAt(at), room, seq, by, "", StoredMessage.DELETED, null, null, at);
        event.targetSeq = target;
        return event;
    }

    /** The event that {@code target} has the new {@code text}, edited by {@code by}, with an id made from its time. */
    static MessageEntity edition(RoomEntity room, long seq, String by, long target, String text, LocalDateTime at) {
        MessageEntity event = new MessageEntity(idAt(at), room, seq, by, text, StoredMessage.EDITED, null, null, at);
        event.targetSeq = target;
        return event;
    }

    /** The event that {@code by} set the room's topic to {@code topic}, with an id made from its time. */
    static MessageEntity topicChange(RoomEntity room, long seq, String by, String topic, LocalDateTime at) {
        return new MessageEntity(idAt(at), room, seq, by, topic, StoredMessage.TOPIC, null, null, at);
    }

    /**
     * The event that {@code by} did {@code kind} to message {@code target}: pinned or unpinned it (empty
     * {@code text}), reacted to it or took the reaction back ({@code text}: the emoji).
     */
    static MessageEntity aboutMessage(RoomEntity room, long seq, String by, String kind, long target, String text,
                                      LocalDateTime at) {
        MessageEntity event = new MessageEntity(idAt(at), room, seq, by, text, kind, null, null, at);
        event.targetSeq = target;
        return event;
    }

    RoomEntity room() {
        return room;
    }

    /** A message that stands: not deleted, and not itself an event about another one. */
    boolean isDeletable() {
        return deletedAt == null && targetSeq == null;
    }

    /** Only people's texts are edited, not notices or events. */
    boolean isEditable() {
        return isDeletable() && StoredMessage.TEXT.equals(kind);
    }

    /** People's messages take reactions, texts and tips, not notices or events. */
    boolean isReactable() {
        return isDeletable() && (StoredMessage.TEXT.equals(kind) || StoredMessage.TIP.equals(kind));
    }

    void replaceText(String newText, LocalDateTime at) {
        text = newText;
        editedAt = at;
    }

    /** Removes the text from storage, not only from view; the row stays so that the seq has no hole. */
    void erase(LocalDateTime at) {
        text = "";
        deletedAt = at;
    }

    StoredMessage toStored() {
        return new StoredMessage(room.name(), seq, id, sender, text, createdAt.toInstant(ZoneOffset.UTC), kind,
                replyTo, clientMsgId, targetSeq, deletedAt != null, editedAt != null,
                tipTo == null ? null : new Tip(tipTo, amount));
    }
}
