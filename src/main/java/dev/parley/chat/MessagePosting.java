package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.RoomEvent;
import dev.parley.delivery.GroupCommit;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.delivery.Tip;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What members write in a room: messages and tips, stored with others arriving meanwhile in one transaction, each
 * answered with its receipt and handed to the room once; and edits and deletions of what was written.
 */
final class MessagePosting {

    /**
     * Commit loops storing messages side by side, each for its share of the rooms (see {@link GroupCommit}). Two
     * kept the store runs' receipts in time where one fell behind; four did worse than two (performance.md,
     * item 17).
     */
    static final int COMMIT_LOOPS = 2;
    /** The most messages stored in one transaction; beyond, the next transaction takes them. */
    static final int COMMIT_BATCH = 256;
    /**
     * The most messages on a node waiting to be stored or, stored, to be answered; a send past that is refused as
     * {@code rate_limited}.
     */
    static final int COMMIT_QUEUE = 8192;
    /**
     * A client resends what it got no receipt for as soon as it is connected again, before anything new: so the
     * first sends of a connection are looked up in the store before they are stored, rather than refused by its
     * unique key (which costs their whole batch a second transaction). A count, not a time: a minute's sends
     * were looked up at first, and after a start every connection's minute of lookups slowed the commit loops
     * while they were cold (performance.md, item 18).
     */
    static final int FIRST_SENDS_LOOKED_UP = 256;

    private static final Logger LOG = Logger.getLogger(MessagePosting.class.getName());

    private final PostingRules rules;
    private final MessageEdits edits;
    private final MessageStore messages;
    private final GroupCommit commits;
    private final LiveRooms live;
    private final ClusterBus bus;

    /**
     * @param committer where messages are stored, in transactions of their own (see {@link GroupCommit})
     * @param answerer  where their senders are answered and their readers given them: one thread, in order
     */
    MessagePosting(PostingRules rules, MessageEdits edits, MessageStore messages, Executor committer,
                   Executor answerer, LiveRooms live, ClusterBus bus) {
        this.rules = rules;
        this.edits = edits;
        this.messages = messages;
        this.live = live;
        this.bus = bus;
        // Only a batch stored is timed: a database that went away fails fast, and would pull the figures down.
        this.commits = new GroupCommit(batch -> {
            long start = System.nanoTime();
            List<GroupCommit.Outcome> outcomes = messages.appendAll(batch);
            live.stats().batchStored(batch.size(), System.nanoTime() - start);
            return outcomes;
        }, COMMIT_LOOPS, COMMIT_BATCH, COMMIT_QUEUE, committer, answerer);
    }

    /** Messages sent and not answered yet (to be stored, being stored, or to be answered): for the metrics. */
    long unanswered() {
        return commits.unanswered();
    }

    void send(Connection connection, ClientFrame.Send send) {
        String user = connection.user();
        boolean passed = passes(connection, send.ref(), send.room(), send.clientMsgId(), () -> {
            String room = RoomEntry.requireMember(connection, send.room());
            rules.requireText(send.text());
            rules.requireNotMuted(room, user);
            rules.requireNotBlocked(room, user);
        });
        if (passed) {
            post(connection, send.ref(), new MessageStore.NewMessage(send.room(), user, send.text(),
                    StoredMessage.TEXT, send.clientMsgId(), send.replyTo()));
        }
    }

    /**
     * A gift to a member, stored and delivered as a message of kind {@code tip} with its own seq, once per
     * client message id as a {@code send} is; the members list adds them up.
     */
    void tip(Connection connection, ClientFrame.Tip tip) {
        String user = connection.user();
        boolean passed = passes(connection, tip.ref(), tip.room(), tip.clientMsgId(), () -> {
            String room = RoomEntry.requireMember(connection, tip.room());
            rules.requireTip(room, user, tip.user(), tip.amount());
            rules.requireNotMuted(room, user);
            rules.requireNotBlocked(room, user);
        });
        if (passed) {
            post(connection, tip.ref(), new MessageStore.NewMessage(tip.room(), user, "", StoredMessage.TIP,
                    tip.clientMsgId(), null, new Tip(tip.user(), tip.amount())));
        }
    }

    /**
     * Runs a send's checks. One they refuse that is a resend of a message stored already (its receipt was lost,
     * and a mute, a leave or a lower limit came since) gets its original receipt instead, as any repeat does:
     * the sender's page would otherwise take off a message everybody else has. Looked up on a refusal only.
     *
     * @return whether the message goes on to be stored
     */
    private boolean passes(Connection connection, String ref, String room, String clientMsgId, Runnable checks) {
        try {
            checks.run();
            return true;
        } catch (ChatException refused) {
            StoredMessage earlier = clientMsgId == null ? null : storedAs(connection.user(), clientMsgId, room);
            if (earlier == null) {
                throw refused;
            }
            stored(connection, ref, new MessageStore.Appended(earlier, true), System.nanoTime());
            return false;
        }
    }

    /** The sender's message of this id in the room, if stored; none when the store cannot say (the refusal stands). */
    private StoredMessage storedAs(String user, String clientMsgId, String room) {
        try {
            return messages.sentAs(user, clientMsgId).filter(message -> message.room().equals(room)).orElse(null);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not look up a refused send's earlier copy", e);
            return null;
        }
    }

    /** The room's members edit their own messages: see {@link MessageEdits}. */
    void edit(Connection connection, ClientFrame.Edit edit) {
        String room = RoomEntry.requireMember(connection, edit.room());
        rules.requireText(edit.text());
        rules.requireNotMuted(room, connection.user());
        rules.requireNotBlocked(room, connection.user());
        edits.edit(connection, room, edit, rules.editWindow());
    }

    void delete(Connection connection, ClientFrame.Delete delete) {
        edits.delete(connection, RoomEntry.requireMember(connection, delete.room()), delete);
    }

    /**
     * Stores a person's message with others arriving meanwhile, in one transaction; then answers its receipt and
     * hands it to the room once (not on a repeat). Both happen after the commit, on the answerer (on the
     * committer only while the application stops: see {@link GroupCommit}).
     */
    private void post(Connection connection, String ref, MessageStore.NewMessage message) {
        long started = System.nanoTime();
        boolean maybeResent = connection.isAmongFirstPosts(FIRST_SENDS_LOOKED_UP);
        boolean queued = commits.submit(maybeResent ? message.asMaybeResent() : message, (appended, failure) -> {
            if (failure == null) {
                live.stats().committed(System.nanoTime() - started);
                stored(connection, ref, appended, started);
                return;
            }
            if (!(failure instanceof ChatException refused) || refused.code() == ErrorCode.INTERNAL) {
                live.stats().storeFailed();
            }
            Refusals.answer(connection, ref, failure);
        });
        if (!queued) {
            live.stats().refusedBusy();
            throw new ChatException(ErrorCode.RATE_LIMITED, "the server is busy storing messages; send again soon");
        }
    }

    private void stored(Connection connection, String ref, MessageStore.Appended appended, long started) {
        StoredMessage stored = appended.message();
        String room = stored.room();
        String user = stored.from();
        connection.cursor(room).ifPresent(cursor -> cursor.given(stored.seq())); // the sender may ack it now
        connection.send(new ServerFrame.Receipt(ref, room, stored.clientMsgId(), stored.seq(), stored.id(),
                stored.ts()));
        // A repeat is published again: the first time may never have happened (its commit was reported failed
        // though done, or the node stopped between commit and publish), and a reader that has it drops it by seq.
        ServerFrame.Message own = stored.frameFor(user);
        bus.publish(new RoomEvent.Posted(room, stored.seq(), user, Frames.encode(own.withoutClientMsgId()),
                Frames.encode(own), stored.hideable()));
        if (!appended.duplicate()) {
            live.stats().stored();
            live.stats().deliveredAfter(System.nanoTime() - started);
        }
    }
}
