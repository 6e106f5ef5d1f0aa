package dev.parley.delivery;

import dev.parley.room.Blocking;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Durable messages. {@link #append} is one transaction; reads see only committed messages. */
public interface MessageStore {

    /**
     * Stores a message with the room's next seq, assigned in the same transaction, so that two nodes sharing
     * the database never hand out one seq twice. A repeated (sender, client message id) stores nothing and
     * returns the original message.
     *
     * @throws dev.parley.protocol.ChatException {@code conflict} when the client message id was used in
     *         another room, {@code bad_request} when {@code replyTo} is not a seq of the room,
     *         {@code forbidden} when the room is archived
     */
    Appended append(NewMessage message);

    /**
     * Appends the messages in one transaction, in list order, each as {@link #append} would; a refusal of one
     * (a {@link dev.parley.protocol.ChatException}) refuses only that one. If the transaction fails, none is
     * stored and this throws.
     *
     * @return for each message, in order, what became of it
     */
    default List<GroupCommit.Outcome> appendAll(List<NewMessage> messages) {
        return messages.stream().map(message -> {
            try {
                return new GroupCommit.Outcome(append(message), null);
            } catch (dev.parley.protocol.ChatException refused) {
                return new GroupCommit.Outcome(null, refused);
            }
        }).toList();
    }

    /**
     * The most messages one {@link #search} reads: a search of a longer room goes on below where the last one
     * stopped, and none reads a busy room's whole past at once.
     */
    int SEARCH_SCANNED = 10_000;

    /**
     * The room's text messages that stand (not deleted; edited ones as they read now) whose text holds {@code text}
     * in any case, among the {@link #SEARCH_SCANNED} seqs below {@code before} (null: above the newest), newest
     * first, at most {@code limit}.
     */
    Found search(String room, String text, Long before, int limit);

    /**
     * What a search found, newest first, and the seq a further search goes on below: the oldest found when the
     * limit was reached, else the oldest seq read; null when the search read down to the room's first message.
     */
    record Found(List<StoredMessage> matches, Long before) {

        /** What a search that read this window found, asked for {@code limit} at most. */
        public static Found of(List<StoredMessage> matches, SearchWindow read, int limit) {
            long next = matches.size() == limit ? matches.get(matches.size() - 1).seq() : read.from();
            return new Found(matches, next > 1 ? next : null);
        }
    }

    /** The seqs one search reads: from {@code from} up to, not including, {@code end}. */
    record SearchWindow(long from, long end) {

        /** The {@link #SEARCH_SCANNED} seqs below {@code before} (null: above the newest, {@code lastSeq}). */
        public static SearchWindow below(Long before, long lastSeq) {
            long end = before == null ? lastSeq + 1 : Math.min(before, lastSeq + 1);
            return new SearchWindow(Math.max(1, end - SEARCH_SCANNED), end);
        }
    }

    /** The message with this seq, if the room has one (deleted ones too, marked so). */
    Optional<StoredMessage> find(String room, long seq);

    /**
     * Replaces the text of message {@code seq} (it keeps its seq, marked edited) and appends the edit event
     * ({@link StoredMessage#EDITED}, {@code target} = seq, the new text) with the room's next seq, in one
     * transaction.
     *
     * @return the edit event
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such text message or it
     *         was deleted, {@code forbidden} when the room is archived
     */
    StoredMessage edit(String room, long seq, String text, String by);

    /**
     * Deletes message {@code seq}: its text leaves storage, its row keeps the seq marked deleted, and the
     * deletion event ({@link StoredMessage#DELETED}, {@code target} = seq) gets the room's next seq, all in one
     * transaction. Works in archived rooms too: removing what should not be there must always be possible.
     *
     * @return the deletion event
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such message, it is
     *         deleted already, or it is itself a deletion event
     */
    StoredMessage delete(String room, long seq, String by);

    /**
     * Sets the room's topic ({@code ""} clears it) and appends the event ({@link StoredMessage#TOPIC}, the topic as
     * its text) with the room's next seq, in one transaction: the room's topic is always its newest such event's.
     * A topic is cleared in an archived room too, as a message is deleted there: removing what should not be
     * there must always be possible.
     *
     * @return the event
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such room, {@code forbidden}
     *         when it is archived and the topic is not empty
     */
    StoredMessage setTopic(String room, String topic, String by);

    /** The most messages a room keeps pinned: a {@code pins} answer is one short list. */
    int MAX_PINS = 50;

    /**
     * Pins message {@code seq}, a text message that stands, and appends the event ({@link StoredMessage#PINNED},
     * {@code target} = seq) with the room's next seq, in one transaction. A deleted message is unpinned with it.
     *
     * @return the event; empty when the message was pinned already (nothing changes)
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such text message or it was
     *         deleted, {@code forbidden} when the room is archived, {@code conflict} when the room has
     *         {@link #MAX_PINS} pinned messages
     */
    Optional<StoredMessage> pin(String room, long seq, String by);

    /**
     * Unpins message {@code seq} and appends the event ({@link StoredMessage#UNPINNED}) with the room's next seq, in
     * one transaction; in an archived room too, as a topic is cleared there.
     *
     * @return the event; empty when the message was not pinned (nothing changes)
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such room
     */
    Optional<StoredMessage> unpin(String room, long seq, String by);

    /** The room's pinned messages with seqs below {@code before} (null: all), as they read now, newest first. */
    List<StoredMessage> pinned(String room, Long before);

    /**
     * The most different reactions a message takes: the page shows them on one line under it, and each costs a
     * reader a frame per change.
     */
    int MAX_REACTIONS = 20;

    /**
     * Adds {@code by}'s reaction {@code emoji} to message {@code seq}, a person's message that stands (text or tip),
     * and appends the event ({@link StoredMessage#REACTED}, {@code target} = seq, {@code text} = emoji) with the
     * room's next seq, in one transaction. A deleted message loses its reactions with it.
     *
     * @return the event; empty when {@code by} had reacted so already (nothing changes)
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such message or it was deleted,
     *         {@code forbidden} when the room is archived, {@code conflict} when the message has
     *         {@link #MAX_REACTIONS} different reactions and this is another
     */
    Optional<StoredMessage> react(String room, long seq, String emoji, String by);

    /**
     * Takes back {@code by}'s reaction {@code emoji} to message {@code seq} and appends the event
     * ({@link StoredMessage#UNREACTED}) with the room's next seq, in one transaction.
     *
     * @return the event; empty when {@code by} had not reacted so (nothing changes)
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such room, {@code forbidden} when
     *         it is archived
     */
    Optional<StoredMessage> unreact(String room, long seq, String emoji, String by);

    /**
     * Archives the room with {@code line} from {@code system} as its last message, in one transaction: no message
     * is stored after the line, and the line is not stored when the room is not archived.
     *
     * @param owner who must own the room, read under the room's lock (so that a hand-over cannot slip in between the
     *              check and the archive); null for an administrator's archive
     * @return the line
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such room, {@code forbidden}
     *         when {@code owner} does not own it, {@code conflict} when it is archived already
     */
    StoredMessage archive(String room, String line, String owner);

    /**
     * Opens an archived room again with {@code line} as its first message since, in one transaction.
     *
     * @return the line
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such room, {@code conflict}
     *         when it is not archived
     */
    StoredMessage reopen(String room, String line);

    /**
     * Removes up to {@code limit} messages stored before {@code before}, oldest first, in one short
     * transaction, so that a large purge runs as many small ones and never holds writers up for long.
     *
     * @return how many were removed
     */
    int purge(Instant before, int limit);

    /** The most texts naming a reader that {@link #backlog} reads: a count beyond is shown as this. */
    int MENTIONS_CHECKED = 1000;

    /**
     * The newest unread messages of a room that a {@code hello} reads, to count the unread lines and mentions: it
     * reads no room's whole backlog (every reconnect of a user who never opens a busy room would).
     */
    int UNREAD_SCANNED = 10_000;

    /**
     * What waits for {@code reader} in the room's messages with a seq above {@code after} and up to {@code upTo},
     * read in one transaction: see {@link Backlog}.
     */
    Backlog backlog(String room, String reader, long after, long upTo);

    /**
     * A room's unread messages as a {@code hello} counts them.
     *
     * @param tallies the messages counted by author and kind; deleted texts are left out (their seqs hold a note,
     *        not a line to read)
     * @param mentionedBy the author of each text by somebody else that names the reader ({@code @reader}), in seq
     *        order, of the first {@link #MENTIONS_CHECKED} such texts that contain the name
     */
    record Backlog(List<Tally> tallies, List<String> mentionedBy) {
    }

    /** {@code count} messages of {@code kind} that {@code from} wrote. */
    record Tally(String from, String kind, long count) {

        /**
         * Whether they are unread lines for {@code reader}: lines of the conversation (not the events that change
         * one), written by somebody else, whom the reader has not blocked.
         */
        public boolean unreadBy(String reader, Blocking blocking) {
            return StoredMessage.isLine(kind) && !from.equals(reader)
                    && !(StoredMessage.hideable(kind) && blocking.hides(reader, from));
        }
    }

    /** One person's reaction to message {@code seq}. */
    record Reaction(long seq, String user, String emoji) {
    }

    /** The reactions to these messages of the room, in the order they were made. */
    List<Reaction> reactionsOn(String room, Collection<Long> seqs);

    /** What each member of the room was given in tips that stand (not deleted), by user. */
    Map<String, Long> tipTotals(String room);

    /** How many messages each room has stored (rooms without any are absent). */
    Map<String, Long> countsByRoom();

    /** How many messages the room has stored: one room's, without counting every room's. */
    long countIn(String room);

    /**
     * The seq each of these rooms handed out last (rooms that do not exist are absent): its newest message's,
     * unless retention or a purge removed that one.
     */
    Map<String, Long> lastSeqs(Collection<String> rooms);

    /** The message the sender stored with this client message id, if any: what a resend of it repeats. */
    Optional<StoredMessage> sentAs(String from, String clientMsgId);

    /** Up to {@code limit} messages with seq greater than {@code after}, ascending. */
    List<StoredMessage> after(String room, long after, int limit);

    /** Up to {@code limit} messages with seq less than {@code before} (or the newest), ascending. */
    List<StoredMessage> before(String room, Long before, int limit);

    /**
     * @param tip         what a message of kind {@link StoredMessage#TIP} gives; null for every other kind
     * @param maybeResent among the first sends of its connection, when a client resends what it got no receipt
     *                    for: the store looks its client message id up first rather than leave the repeat to
     *                    the unique key (see {@link #appendAll})
     */
    record NewMessage(String room, String from, String text, String kind, String clientMsgId, Long replyTo,
                      Tip tip, boolean maybeResent) {

        public NewMessage(String room, String from, String text, String kind, String clientMsgId, Long replyTo) {
            this(room, from, text, kind, clientMsgId, replyTo, null);
        }

        public NewMessage(String room, String from, String text, String kind, String clientMsgId, Long replyTo,
                          Tip tip) {
            this(room, from, text, kind, clientMsgId, replyTo, tip, false);
        }

        public NewMessage asMaybeResent() {
            return new NewMessage(room, from, text, kind, clientMsgId, replyTo, tip, true);
        }
    }

    /** The stored message, and whether it had been stored already by an earlier send. */
    record Appended(StoredMessage message, boolean duplicate) {
    }
}
