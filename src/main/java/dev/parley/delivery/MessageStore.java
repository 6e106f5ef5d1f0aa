package dev.parley.delivery;

import java.util.List;

/** Durable messages. {@link #append} is one transaction; reads see only committed messages. */
public interface MessageStore {

    /**
     * Stores a message with the room's next seq, assigned in the same transaction, so that two nodes sharing
     * the database never hand out one seq twice. A repeated (sender, client message id) stores nothing and
     * returns the original message.
     *
     * @throws dev.parley.protocol.ChatException {@code conflict} when the client message id was used in
     *         another room, {@code bad_request} when {@code replyTo} is not a seq of the room
     */
    Appended append(NewMessage message);

    /** Up to {@code limit} messages with seq greater than {@code after}, ascending. */
    List<StoredMessage> after(String room, long after, int limit);

    /** Up to {@code limit} messages with seq less than {@code before} (or the newest), ascending. */
    List<StoredMessage> before(String room, Long before, int limit);

    record NewMessage(String room, String from, String text, String kind, String clientMsgId, Long replyTo) {
    }

    /** The stored message, and whether it had been stored already by an earlier send. */
    record Appended(StoredMessage message, boolean duplicate) {
    }
}
