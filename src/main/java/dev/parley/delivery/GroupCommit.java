package dev.parley.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores messages from many connections in shared transactions. A send is queued; whichever thread finds no
 * commit running becomes the committer and stores everything queued, up to a batch, in one transaction, then
 * answers each send and takes the next batch while any is waiting. Under load the batches grow by themselves
 * (what arrives during one commit goes into the next), so a commit's cost is shared by many messages; with no
 * load a send is stored at once, on its own thread. One committer at a time keeps the order in which a
 * connection's sends arrive as the order of their seqs. No thread waits for another; the queue is bounded and
 * a full one refuses the send.
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
    private final BlockingQueue<Pending> queue;
    private final AtomicBoolean committing = new AtomicBoolean();

    /**
     * @param store    stores a batch in one transaction and answers for each message, in order
     * @param maxBatch the most messages in one transaction
     * @param capacity the most messages waiting; beyond, {@link #submit} refuses
     */
    public GroupCommit(Function<List<MessageStore.NewMessage>, List<Outcome>> store, int maxBatch, int capacity) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Queues a message for the next commit; {@code done} gets the stored message or the refusal, on the
     * committing thread, after the commit.
     *
     * @return false when too many messages are waiting already: the server is overloaded
     */
    public boolean submit(MessageStore.NewMessage message, BiConsumer<MessageStore.Appended, RuntimeException> done) {
        if (!queue.offer(new Pending(message, done))) {
            return false;
        }
        drain();
        return true;
    }

    /** How many messages wait for a commit. */
    public int waiting() {
        return queue.size();
    }

    /**
     * Commits while messages wait and nobody else does. The queue is checked again after the flag is released:
     * a send queued while this thread held it, whose own thread found the flag taken, is not left behind.
     */
    private void drain() {
        while (!queue.isEmpty() && committing.compareAndSet(false, true)) {
            try {
                List<Pending> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
                queue.drainTo(batch, maxBatch);
                if (!batch.isEmpty()) {
                    commit(batch);
                }
            } finally {
                committing.set(false);
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<Outcome> outcomes;
        try {
            outcomes = store.apply(batch.stream().map(Pending::message).toList());
        } catch (RuntimeException e) {
            // Nothing of the batch was stored: every sender hears so and resends.
            batch.forEach(pending -> answer(pending, null, e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Outcome outcome = outcomes.get(i);
            answer(batch.get(i), outcome.appended(), outcome.refused());
        }
    }

    /** One sender's answer failing must not keep the others of the batch from theirs. */
    private static void answer(Pending pending, MessageStore.Appended appended, RuntimeException failure) {
        try {
            pending.done().accept(appended, failure);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "answering a stored message failed", e);
        }
    }
}
