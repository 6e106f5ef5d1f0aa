package dev.parley.store;

import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Messages in the database, with the room's seq handed out under the room row's lock. */
@ApplicationScoped
public class JpaMessageStore implements MessageStore {

    @PersistenceContext
    EntityManager em;

    @Inject
    Transactions transactions;

    @Override
    public Appended append(NewMessage message) {
        return transactions.retryingOnce(() -> {
            // The row lock serializes the room's writers on every node until this transaction ends.
            RoomEntity room = em.createNamedQuery(RoomEntity.BY_NAME, RoomEntity.class)
                    .setParameter("name", message.room())
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultStream()
                    .findFirst()
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no room " + message.room()));
            Optional<MessageEntity> earlier = byClientId(message.from(), message.clientMsgId());
            if (earlier.isPresent()) {
                if (!earlier.get().room().name().equals(message.room())) {
                    throw new ChatException(ErrorCode.CONFLICT, "clientMsgId was used for another room");
                }
                return new Appended(earlier.get().toStored(), true);
            }
            if (message.replyTo() != null && message.replyTo() > room.lastSeq()) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "replyTo is not a seq of " + message.room());
            }
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            MessageEntity entity = new MessageEntity(Ids.next(now.toInstant(ZoneOffset.UTC).toEpochMilli()),
                    room, room.nextSeq(), message.from(), message.text(), message.kind(), message.replyTo(),
                    message.clientMsgId(), now);
            em.persist(entity);
            return new Appended(entity.toStored(), false);
        });
    }

    @Override
    @Transactional
    public List<StoredMessage> after(String room, long after, int limit) {
        return em.createNamedQuery(MessageEntity.AFTER, MessageEntity.class)
                .setParameter("room", room)
                .setParameter("after", after)
                .setMaxResults(limit)
                .getResultStream()
                .map(MessageEntity::toStored)
                .toList();
    }

    @Override
    @Transactional
    public List<StoredMessage> before(String room, Long before, int limit) {
        List<StoredMessage> newestFirst = new ArrayList<>(em.createNamedQuery(MessageEntity.BEFORE, MessageEntity.class)
                .setParameter("room", room)
                .setParameter("before", before == null ? Long.MAX_VALUE : before)
                .setMaxResults(limit)
                .getResultStream()
                .map(MessageEntity::toStored)
                .toList());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    private Optional<MessageEntity> byClientId(String sender, String clientMsgId) {
        return em.createNamedQuery(MessageEntity.BY_CLIENT_ID, MessageEntity.class)
                .setParameter("sender", sender)
                .setParameter("clientMsgId", clientMsgId)
                .getResultStream()
                .findFirst();
    }
}
