package dev.parley.delivery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores messages from many connections in shared transactions. A send is queued; if no commit is running,
 * one is started on the committer (an executor) and stores everything queued, up to a batch, in one
 * transaction, hands the batch to the answerer, and takes the next batch while any is waiting. Under load the
 * batches grow by themselves (what arrives during one commit goes into the next), so a commit's cost is shared by
 * many messages. The sender's own thread never commits: under steady load the commit loop never ends, and the
 * connection whose thread ran it would stop being read (its heartbeats unanswered, its sends unreceipted).
 * <p>
 * Rooms are shared out among a few commit loops, each room always to the same loop: a loop waiting for the
 * database (its round trips, its commit) does not hold up the rooms of the others. One loop per room keeps the
 * order in which a connection's sends to the room arrive as the order of their seqs; one answerer, taking
 * batches in commit order, keeps it as the order of their receipts and deliveries. Answering (frames encoded,
 * readers' queues filled) overlaps the next commit instead of delaying it. No thread waits for another;
 * messages not answered yet are bounded, and past the bound a send is refused.
 */
public final class GroupCommit {

    /** What became of one message: stored (perhaps earlier, as a duplicate), or refused with a reason. */
    public record Outcome(MessageStore.Appended appended, RuntimeException refused) {
    }

    private record Pending(MessageStore.NewMessage message, BiConsumer<MessageStore.Appended, RuntimeException> done) {
    }

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());

    private final Function<List<MessageStore.NewMessage>, List<Outcome>> store;
    private final int maxBatch;
    private final int capacity;
    private final Loop[] loops;
    private final Executor committer;
    private final Executor answerer;
    /** Messages submitted and not answered yet, waiting to be stored or stored and waiting to be answered. */
    private final AtomicInteger unanswered = new AtomicInteger();

    /**
     * @param store    stores a batch in one transaction and answers for each message, in order
     * @param loops    how many commit loops share the rooms out
     * @param maxBatch the most messages in one transaction
     * @param capacity  the most messages not answered yet; beyond, {@link #submit} refuses
     * @param committer runs the commit loops, each one at a time; its threads must be able to open transactions
     * @param answerer  answers the senders of each stored batch: one thread, taking tasks in the order given;
     *                  when it refuses a task (stopping), the committer answers itself
     */
    public GroupCommit(Function<List<MessageStore.NewMessage>, List<Outcome>> store, int loops, int maxBatch,
                       int capacity, Executor committer, Executor answerer) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.capacity = capacity;
        this.loops = new Loop[loops];
        Arrays.setAll(this.loops, i -> new Loop());
        this.committer = committer;
        this.answerer = answerer;
    }

    /**
     * Queues a message for its room's next commit; {@code done} gets the stored message or the refusal, on the
     * answerer, after the commit.
     *
     * @return false when too many messages are not answered yet (the server is overloaded), or when the
     *         committer takes no more work (the application is stopping)
     */
    public boolean submit(MessageStore.NewMessage message, BiConsumer<MessageStore.Appended, RuntimeException> done) {
        if (unanswered.incrementAndGet() > capacity) {
            unanswered.decrementAndGet();
            return false;
        }
        return loops[loopOf(message.room(), loops.length)].submit(new Pending(message, done));
    }

    /** The loop, of {@code loops}, that stores every message of {@code room}. */
    static int loopOf(String room, int loops) {
        return Math.floorMod(room.hashCode(), loops);
    }

    /**
     * How many messages are not answered yet: waiting for a commit, in one, or stored and waiting for the answerer.
     * What {@link #submit} holds to its capacity.
     */
    public int unanswered() {
        return unanswered.get();
    }

    /** One commit loop and the messages of its rooms waiting for it. */
    private final class Loop {

        private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(capacity);
        /** Set while this loop is started or running: at most one at a time. */
        private final AtomicBoolean committing = new AtomicBoolean();

        boolean submit(Pending pending) {
            queue.add(pending); // never full: it holds no more than are unanswered
            if (committing.compareAndSet(false, true)) {
                try {
                    committer.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    committing.set(false);
                    LOG.log(Level.WARNING, "the committer refused to store messages", e);
                    // Unless a loop started meanwhile took it, the message is not stored: the sender hears so.
                    if (queue.remove(pending)) {
                        unanswered.decrementAndGet();
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * Commits while messages wait. The queue is checked again after the flag is released: a send queued
         * between the last batch and the release found the flag taken and started nothing, so it is taken here.
         */
        private void drain() {
            do {
                try {
                    List<Pending> batch = new ArrayList<>();
                    while (queue.drainTo(batch, maxBatch) > 0) {
                        commit(batch);
                        batch = new ArrayList<>();
                    }
                } finally {
                    committing.set(false);
                }
            } while (!queue.isEmpty() && committing.compareAndSet(false, true));
        }
    }

    private void commit(List<Pending> batch) {
        List<Outcome> outcomes;
        try {
            outcomes = store.apply(batch.stream().map(Pending::message).toList());
        } catch (RuntimeException e) {
            // Nothing of the batch was stored: every sender hears so and resends.
            outcomes = batch.stream().map(pending -> new Outcome(null, e)).toList();
        }
        List<Outcome> answers = outcomes;
        try {
            answerer.execute(() -> answer(batch, answers));
        } catch (RejectedExecutionException stopping) {
            answer(batch, answers);
        }
    }

    private void answer(List<Pending> batch, List<Outcome> outcomes) {
        for (int i = 0; i < batch.size(); i++) {
            Outcome outcome = outcomes.get(i);
            answer(batch.get(i), outcome.appended(), outcome.refused());
        }
    }

    /** One sender's answer failing must not keep the others of the batch from theirs. */
    private void answer(Pending pending, MessageStore.Appended appended, RuntimeException failure) {
        try {
            pending.done().accept(appended, failure);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "answering a stored message failed", e);
        } finally {
            unanswered.decrementAndGet();
        }
    }
}
