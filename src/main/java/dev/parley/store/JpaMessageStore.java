package dev.parley.store;

import dev.parley.delivery.GroupCommit;
import dev.parley.delivery.Mentions;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Messages in the database, with the room's seq handed out under the room row's lock. */
@ApplicationScoped
public class JpaMessageStore implements MessageStore {

    /**
     * EclipseLink's hint: the page's messages are only read, so they are not copied into the transaction's
     * unit of work to be checked for changes at commit. Other providers ignore it.
     */
    private static final String READ_ONLY = "eclipselink.read-only";
    private static final int NAMES_PER_QUERY = 500;

    @PersistenceContext
    EntityManager em;

    @Inject
    Transactions transactions;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    private JdbcMessageWriter writer;

    @PostConstruct
    void writer() {
        writer = new JdbcMessageWriter(dataSource);
    }

    /** A message of the server's own (a notice), written as a batch of one. */
    @Override
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Appended append(NewMessage message) {
        GroupCommit.Outcome outcome = appendAll(List.of(message)).get(0);
        if (outcome.refused() != null) {
            throw outcome.refused();
        }
        return outcome.appended();
    }

    /** Outside any JTA transaction: the batch is a local transaction of its own (see {@link JdbcMessageWriter}). */
    @Override
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<GroupCommit.Outcome> appendAll(List<NewMessage> messages) {
        try {
            return writer.write(messages);
        } catch (SQLException e) {
            throw new PersistenceException("messages not stored", e);
        }
    }

    @Override
    @Transactional
    public Optional<StoredMessage> find(String room, long seq) {
        return em.createNamedQuery(MessageEntity.BY_ROOM_AND_SEQ, MessageEntity.class)
                .setParameter("room", room)
                .setParameter("seq", seq)
                .getResultStream()
                .findFirst()
                .map(MessageEntity::toStored);
    }

    @Override
    @Transactional
    public Optional<StoredMessage> sentAs(String from, String clientMsgId) {
        return em.createNamedQuery(MessageEntity.BY_CLIENT_ID, MessageEntity.class)
                .setParameter("from", from)
                .setParameter("clientMsgId", clientMsgId)
                .getResultStream()
                .findFirst()
                .map(MessageEntity::toStored);
    }

    @Override
    public StoredMessage edit(String room, long seq, String text, String by) {
        return transactions.inNew(() -> {
            RoomEntity entity = unarchived(lockedRoom(room));
            MessageEntity target = message(entity, seq, MessageEntity::isEditable, "to edit");
            LocalDateTime now = MessageEntity.timeNow();
            target.replaceText(text, now);
            MessageEntity event = MessageEntity.edition(entity, entity.nextSeq(), by, seq, text, now);
            em.persist(event);
            return event.toStored();
        });
    }

    @Override
    public StoredMessage setTopic(String room, String topic, String by) {
        return transactions.inNew(() -> {
            RoomEntity entity = lockedRoom(room);
            if (entity.isArchived() && !topic.isEmpty()) {
                throw new ChatException(ErrorCode.FORBIDDEN, room + " is archived");
            }
            entity.setTopic(topic);
            MessageEntity event = MessageEntity.topicChange(entity, entity.nextSeq(), by, topic,
                    MessageEntity.timeNow());
            em.persist(event);
            return event.toStored();
        });
    }

    @Override
    public Optional<StoredMessage> pin(String room, long seq, String by) {
        return transactions.inNew(() -> {
            RoomEntity entity = unarchived(lockedRoom(room));
            message(entity, seq, MessageEntity::isEditable, "to pin");
            if (em.find(PinEntity.class, new PinEntity.Key(entity.id(), seq)) != null) {
                return Optional.empty();
            }
            long pinned = em.createNamedQuery(PinEntity.COUNT_IN, Long.class).setParameter("room", entity.id())
                    .getSingleResult();
            if (pinned >= MAX_PINS) {
                throw new ChatException(ErrorCode.CONFLICT, room + " has " + MAX_PINS
                        + " pinned messages, as many as a room may: unpin one first");
            }
            LocalDateTime now = MessageEntity.timeNow();
            em.persist(new PinEntity(entity.id(), seq, by, now));
            return Optional.of(aboutMessage(entity, StoredMessage.PINNED, seq, "", by, now));
        });
    }

    @Override
    public Optional<StoredMessage> unpin(String room, long seq, String by) {
        return transactions.inNew(() -> {
            RoomEntity entity = lockedRoom(room);
            if (em.createNamedQuery(PinEntity.REMOVE).setParameter("room", entity.id()).setParameter("seq", seq)
                    .executeUpdate() == 0) {
                return Optional.empty();
            }
            return Optional.of(aboutMessage(entity, StoredMessage.UNPINNED, seq, "", by, MessageEntity.timeNow()));
        });
    }

    @Override
    public Optional<StoredMessage> react(String room, long seq, String emoji, String by) {
        return transactions.inNew(() -> {
            RoomEntity entity = unarchived(lockedRoom(room));
            message(entity, seq, MessageEntity::isReactable, "to react to");
            ReactionEntity.Key key = new ReactionEntity.Key(entity.id(), seq, by, emoji);
            if (em.find(ReactionEntity.class, key) != null) {
                return Optional.empty();
            }
            List<String> kinds = em.createNamedQuery(ReactionEntity.KINDS_ON, String.class)
                    .setParameter("room", entity.id()).setParameter("seq", seq).getResultList();
            if (kinds.size() >= MAX_REACTIONS && !kinds.contains(emoji)) {
                throw new ChatException(ErrorCode.CONFLICT, "message " + seq + " has " + MAX_REACTIONS
                        + " different reactions, as many as a message may: add one of those");
            }
            LocalDateTime now = MessageEntity.timeNow();
            em.persist(new ReactionEntity(key, now));
            return Optional.of(aboutMessage(entity, StoredMessage.REACTED, seq, emoji, by, now));
        });
    }

    @Override
    public Optional<StoredMessage> unreact(String room, long seq, String emoji, String by) {
        return transactions.inNew(() -> {
            RoomEntity entity = unarchived(lockedRoom(room));
            if (em.createNamedQuery(ReactionEntity.REMOVE).setParameter("room", entity.id()).setParameter("seq", seq)
                    .setParameter("user", by).setParameter("emoji", emoji).executeUpdate() == 0) {
                return Optional.empty();
            }
            return Optional.of(aboutMessage(entity, StoredMessage.UNREACTED, seq, emoji, by, MessageEntity.timeNow()));
        });
    }

    /** An event about message {@code target}, stored with the room's next seq. */
    private StoredMessage aboutMessage(RoomEntity room, String kind, long target, String text, String by,
                                       LocalDateTime at) {
        MessageEntity event = MessageEntity.aboutMessage(room, room.nextSeq(), by, kind, target, text, at);
        em.persist(event);
        return event.toStored();
    }

    @Override
    @Transactional
    public List<StoredMessage> pinned(String room, Long before) {
        Optional<RoomEntity> entity = RoomEntity.named(em, room);
        if (entity.isEmpty()) {
            return List.of();
        }
        return em.createNamedQuery(MessageEntity.PINNED, MessageEntity.class)
                .setParameter("room", entity.get().id())
                .setParameter("before", before == null ? Long.MAX_VALUE : before)
                .setHint(READ_ONLY, "true")
                .getResultStream()
                .map(MessageEntity::toStored)
                .toList();
    }

    @Override
    public StoredMessage archive(String room, String line, String owner) {
        return transactions.inNew(() -> {
            RoomEntity entity = lockedRoom(room);
            if (owner != null) {
                entity.requireOwnedBy(owner);
            }
            if (entity.isArchived()) {
                throw new ChatException(ErrorCode.CONFLICT, room + " is archived already");
            }
            LocalDateTime now = MessageEntity.timeNow();
            MessageEntity last = MessageEntity.systemLine(entity, entity.nextSeq(), line, now);
            em.persist(last);
            entity.setArchived(now);
            return last.toStored();
        });
    }

    @Override
    public StoredMessage reopen(String room, String line) {
        return transactions.inNew(() -> {
            RoomEntity entity = lockedRoom(room);
            if (!entity.isArchived()) {
                throw new ChatException(ErrorCode.CONFLICT, room + " is not archived");
            }
            entity.setArchived(null);
            MessageEntity first = MessageEntity.systemLine(entity, entity.nextSeq(), line, MessageEntity.timeNow());
            em.persist(first);
            return first.toStored();
        });
    }

    @Override
    public StoredMessage delete(String room, long seq, String by) {
        return transactions.inNew(() -> {
            RoomEntity entity = lockedRoom(room);
            MessageEntity target = message(entity, seq, MessageEntity::isDeletable, "to delete");
            LocalDateTime now = MessageEntity.timeNow();
            target.erase(now);
            // Each edit's event holds a text the message had: gone too, or history would still show it.
            em.createNamedQuery(MessageEntity.ERASE_EDITIONS).setParameter("room", entity).setParameter("target", seq)
                    .executeUpdate();
            // A pin shows the words, reactions answer them: they go too. Clients drop them on the deletion event.
            em.createNamedQuery(PinEntity.REMOVE).setParameter("room", entity.id()).setParameter("seq", seq)
                    .executeUpdate();
            em.createNamedQuery(ReactionEntity.REMOVE_ALL_ON).setParameter("room", entity.id())
                    .setParameter("seq", seq).executeUpdate();
            MessageEntity event = MessageEntity.deletion(entity, entity.nextSeq(), by, seq, now);
            em.persist(event);
            return event.toStored();
        });
    }

    @Override
    public int purge(Instant before, int limit) {
        return transactions.inNew(() -> {
            List<String> ids = em.createNamedQuery(MessageEntity.OLDER_THAN, String.class)
                    .setParameter("idBound", MessageEntity.idBoundAt(before))
                    .setParameter("before", LocalDateTime.ofInstant(before, ZoneOffset.UTC))
                    .setMaxResults(limit)
                    .getResultList();
            return ids.isEmpty() ? 0 : em.createNamedQuery(MessageEntity.DELETE_IDS)
                    .setParameter("ids", ids)
                    .executeUpdate();
        });
    }

    @Override
    @Transactional
    public List<Reaction> reactionsOn(String room, Collection<Long> seqs) {
        Optional<RoomEntity> entity = RoomEntity.named(em, room);
        if (entity.isEmpty() || seqs.isEmpty()) {
            return List.of();
        }
        return em.createNamedQuery(ReactionEntity.ON, ReactionEntity.class)
                .setParameter("room", entity.get().id())
                .setParameter("seqs", seqs)
                .setHint(READ_ONLY, "true")
                .getResultStream()
                .map(ReactionEntity::toReaction)
                .toList();
    }

    @Override
    @Transactional
    public Backlog backlog(String room, String reader, long after, long upTo) {
        Optional<RoomEntity> entity = RoomEntity.named(em, room);
        if (entity.isEmpty()) {
            return new Backlog(List.of(), List.of());
        }
        List<Tally> tallies = em.createNamedQuery(MessageEntity.TALLY, Object[].class)
                .setParameter("room", entity.get())
                .setParameter("after", after)
                .setParameter("upTo", upTo)
                .getResultStream()
                .map(row -> new Tally((String) row[0], (String) row[1], ((Number) row[2]).longValue()))
                .toList();
        boolean textsByOthers = tallies.stream()
                .anyMatch(tally -> StoredMessage.TEXT.equals(tally.kind()) && !tally.from().equals(reader));
        return new Backlog(tallies, textsByOthers ? mentioning(entity.get(), reader, after, upTo) : List.of());
    }

    /** The authors of the texts that name the reader: LIKE narrows them down, the exact rule is Mentions'. */
    private List<String> mentioning(RoomEntity room, String reader, long after, long upTo) {
        return em.createNamedQuery(MessageEntity.NAMING, Object[].class)
                .setParameter("room", room)
                .setParameter("after", after)
                .setParameter("upTo", upTo)
                .setParameter("reader", reader)
                .setParameter("pattern", "%@" + literally(reader) + "%")
                .setMaxResults(MENTIONS_CHECKED)
                .getResultStream()
                .filter(row -> Mentions.mentions((String) row[1], reader))
                .map(row -> (String) row[0])
                .toList();
    }

    @Override
    @Transactional
    public Found search(String room, String text, Long before, int limit) {
        Optional<RoomEntity> entity = RoomEntity.named(em, room);
        if (entity.isEmpty()) {
            return new Found(List.of(), null);
        }
        SearchWindow window = SearchWindow.below(before, entity.get().lastSeq());
        List<StoredMessage> matches = em.createNamedQuery(MessageEntity.HOLDING, MessageEntity.class)
                .setParameter("room", entity.get())
                .setParameter("from", window.from())
                .setParameter("end", window.end())
                .setParameter("pattern", "%" + literally(text) + "%")
                .setHint(READ_ONLY, "true")
                .setMaxResults(limit)
                .getResultStream()
                .map(MessageEntity::toStored)
                .toList();
        return Found.of(matches, window, limit);
    }

    /**
     * The text as a LIKE pattern matches it, and only it: a user name may hold {@code _}, which matches any one
     * character, and near misses would take the place of mentions among the rows read.
     */
    static String literally(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    @Transactional
    public Map<String, Long> tipTotals(String room) {
        return em.createNamedQuery(MessageEntity.TIP_TOTALS, Object[].class).setParameter("room", room)
                .getResultStream()
                .collect(Collectors.toMap(row -> (String) row[0], row -> ((Number) row[1]).longValue()));
    }

    @Override
    @Transactional
    public Map<String, Long> countsByRoom() {
        return em.createNamedQuery(MessageEntity.COUNT_BY_ROOM, Object[].class).getResultStream()
                .collect(Collectors.toMap(row -> (String) row[0], row -> ((Number) row[1]).longValue()));
    }

    @Override
    @Transactional
    public long countIn(String room) {
        return em.createNamedQuery(MessageEntity.COUNT_IN, Long.class).setParameter("room", room).getSingleResult();
    }

    /** A query per {@value #NAMES_PER_QUERY} rooms: a statement's parameters are bounded (PostgreSQL: 32,767). */
    @Override
    public Map<String, Long> lastSeqs(Collection<String> rooms) {
        List<String> names = List.copyOf(rooms);
        Map<String, Long> seqs = new HashMap<>();
        for (int from = 0; from < names.size(); from += NAMES_PER_QUERY) {
            em.createNamedQuery(RoomEntity.LAST_SEQS, Object[].class)
                    .setParameter("names", names.subList(from, Math.min(names.size(), from + NAMES_PER_QUERY)))
                    .getResultStream()
                    .forEach(row -> seqs.put((String) row[0], ((Number) row[1]).longValue()));
        }
        return seqs;
    }

    private MessageEntity message(RoomEntity room, long seq, Predicate<MessageEntity> usable,
                                  String purpose) {
        return em.createNamedQuery(MessageEntity.BY_SEQ, MessageEntity.class)
                .setParameter("room", room)
                .setParameter("seq", seq)
                .getResultStream()
                .filter(usable)
                .findFirst()
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no message " + seq + " in " + room.name()
                        + " " + purpose));
    }

    /** An archived room keeps what it holds: nothing is added to it. */
    private static RoomEntity unarchived(RoomEntity room) {
        if (room.isArchived()) {
            throw new ChatException(ErrorCode.FORBIDDEN, room.name() + " is archived");
        }
        return room;
    }

    /** The room's row, locked until the transaction ends: it serializes the room's writers on every node. */
    private RoomEntity lockedRoom(String room) {
        return RoomEntity.locked(em, room).orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no room " + room));
    }

    /**
     * A page by the room's row rather than by its name, so that the query is on the message table alone, in
     * the (room_id, seq) index's order (see {@code MessageEntity.roomId}): the database reads the page and stops.
     */
    @Override
    @Transactional
    public List<StoredMessage> after(String room, long after, int limit) {
        Optional<RoomEntity> entity = RoomEntity.named(em, room);
        if (entity.isEmpty()) {
            return List.of();
        }
        return em.createNamedQuery(MessageEntity.AFTER, MessageEntity.class)
                .setParameter("room", entity.get())
                .setParameter("after", after)
                .setHint(READ_ONLY, "true")
                .setMaxResults(limit)
                .getResultStream()
                .map(MessageEntity::toStored)
                .toList();
    }

    /** A history page, as a range of seqs below {@code before} in the index's order (see {@link NewestBelow}). */
    @Override
    @Transactional
    public List<StoredMessage> before(String room, Long before, int limit) {
        Optional<RoomEntity> entity = RoomEntity.named(em, room);
        if (entity.isEmpty()) {
            return List.of();
        }
        long end = before == null ? entity.get().lastSeq() + 1 : Math.min(before, entity.get().lastSeq() + 1);
        return NewestBelow.page(end, limit, (from, upTo) -> em.createNamedQuery(MessageEntity.BETWEEN,
                        MessageEntity.class)
                .setParameter("room", entity.get())
                .setParameter("from", from)
                .setParameter("end", upTo)
                .setHint(READ_ONLY, "true")
                .getResultStream()
                .map(MessageEntity::toStored)
                .toList());
    }
}
