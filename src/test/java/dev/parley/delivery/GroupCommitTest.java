package dev.parley.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** What each transaction stored: the texts, in order. */
    private final List<List<String>> transactions = new CopyOnWriteArrayList<>();
    private final Map<String, Object> answers = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> answered = new ConcurrentHashMap<>();
    /** The texts in the order their senders were answered. */
    private final List<String> answerOrder = new CopyOnWriteArrayList<>();
    private final ExecutorService committer = Executors.newSingleThreadExecutor();
    private final ExecutorService answerer = Executors.newSingleThreadExecutor();
    private final List<Thread> storingThreads = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch storeHeld = new CountDownLatch(0);
    private final CountDownLatch storeEntered = new CountDownLatch(1);

    @AfterEach
    void stop() {
        committer.shutdownNow();
        answerer.shutdownNow();
    }

    private GroupCommit commits(int maxBatch, int capacity) {
        return new GroupCommit(batch -> {
            storingThreads.add(Thread.currentThread());
            storeEntered.countDown();
            passWhenOpen(storeHeld);
            transactions.add(batch.stream().map(MessageStore.NewMessage::text).toList());
            List<GroupCommit.Outcome> outcomes = new ArrayList<>();
            for (MessageStore.NewMessage message : batch) {
                outcomes.add(message.text().startsWith("refused")
                        ? new GroupCommit.Outcome(null, new ChatException(ErrorCode.FORBIDDEN, "archived"))
                        : new GroupCommit.Outcome(new MessageStore.Appended(stored(message), false), null));
            }
            return outcomes;
        }, 1, maxBatch, capacity, committer, answerer);
    }

    /** A group commit whose first transaction is running, held until {@link #release}: what comes now waits. */
    private GroupCommit committing(int maxBatch, int capacity) throws InterruptedException {
        storeHeld = new CountDownLatch(1);
        GroupCommit commits = commits(maxBatch, capacity);
        assertTrue(submit(commits, "first"));
        assertTrue(storeEntered.await(10, TimeUnit.SECONDS));
        return commits;
    }

    /** Lets the held transaction finish, and waits until everything waiting is stored and answered. */
    private void release() throws InterruptedException {
        storeHeld.countDown();
        committer.shutdown();
        assertTrue(committer.awaitTermination(10, TimeUnit.SECONDS));
        answerer.shutdown();
        assertTrue(answerer.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Holds the store or answer under way until the latch opens (10 s at most, or the test fails). */
    private static void passWhenOpen(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StoredMessage stored(MessageStore.NewMessage message) {
        return new StoredMessage(message.room(), 1, "id", message.from(), message.text(), Instant.EPOCH,
                message.kind(), null, message.clientMsgId(), null, false, false, null);
    }

    private boolean submit(GroupCommit commits, String text) {
        return submit(commits, "lobby", text);
    }

    private boolean submit(GroupCommit commits, String room, String text) {
        return commits.submit(new MessageStore.NewMessage(room, "ann", text, StoredMessage.TEXT, text, null),
                (appended, failure) -> {
                    answerOrder.add(text);
                    answers.put(text, failure != null ? failure : appended);
                    answered(text).countDown();
                });
    }

    /** Opens once the sender of {@code text} has been answered. */
    private CountDownLatch answered(String text) {
        return answered.computeIfAbsent(text, any -> new CountDownLatch(1));
    }

    @Test
    void withNothingElseWaitingASendIsStoredAtOnceByTheCommitterNotTheSendersThread() throws Exception {
        assertTrue(submit(commits(10, 10), "hello"));
        release();
        assertEquals(List.of(List.of("hello")), transactions);
        assertTrue(answers.get("hello") instanceof MessageStore.Appended);
        assertFalse(storingThreads.contains(Thread.currentThread()));
    }

    /**
     * The fault this design fixes: the sender who found no commit running used to run the commit loop on its
     * own thread, and under steady traffic that loop never ended, so its connection was never read again.
     */
    @Test
    void aSenderReturnsAtOnceWhileOthersMessagesKeepTheCommitterBusy() throws Exception {
        GroupCommit commits = committing(1, 100);
        for (int i = 0; i < 50; i++) {
            assertTrue(submit(commits, "m" + i), "the sender is not held by the commit in progress");
        }
        assertEquals(51, commits.unanswered(), "the 50 and the one being committed");
        release();
        assertEquals(51, answers.size());
        assertEquals(1, storingThreads.stream().distinct().count(), "one committer stored everything");
        assertFalse(storingThreads.contains(Thread.currentThread()));
    }

    @Test
    void aCommitterThatTakesNoMoreWorkRefusesTheSendAndStoresNothingLater() {
        GroupCommit commits = new GroupCommit(batch -> {
            throw new AssertionError("nothing may be stored");
        }, 1, 10, 10, task -> {
            throw new RejectedExecutionException("shutting down");
        }, Runnable::run);
        assertFalse(submit(commits, "late"));
        assertEquals(0, commits.unanswered());
        assertTrue(answers.isEmpty());
    }

    @Test
    void whatArrivesDuringACommitIsStoredTogetherInTheNextInArrivalOrder() throws Exception {
        GroupCommit commits = committing(10, 10);
        for (String text : List.of("a", "b", "c")) {
            assertTrue(submit(commits, text), "queued without waiting for the commit in progress");
        }
        assertEquals(4, commits.unanswered(), "the three and the one being committed");
        assertTrue(answers.isEmpty(), "nobody is answered before their commit");
        release();
        assertEquals(List.of(List.of("first"), List.of("a", "b", "c")), transactions);
        assertEquals(4, answers.size());
    }

    @Test
    void aBatchHoldsAtMostTheLimit() throws Exception {
        GroupCommit commits = committing(2, 10);
        List.of("a", "b", "c", "d", "e").forEach(text -> assertTrue(submit(commits, text)));
        release();
        assertEquals(List.of(List.of("first"), List.of("a", "b"), List.of("c", "d"), List.of("e")), transactions);
    }

    @Test
    void aFullQueueRefusesTheSendPastItsCapacity() throws Exception {
        GroupCommit commits = committing(10, 3);
        assertTrue(submit(commits, "a"));
        assertTrue(submit(commits, "b"), "at the capacity, with the one being stored");
        assertFalse(submit(commits, "c"), "one past it");
        release();
        assertNull(answers.get("c"), "a refused send is not stored later");
        assertEquals(List.of(List.of("first"), List.of("a", "b")), transactions);
    }

    @Test
    void oneRefusedMessageLeavesTheOthersOfItsBatchStored() throws Exception {
        GroupCommit commits = committing(10, 10);
        submit(commits, "refused one");
        submit(commits, "fine");
        release();
        assertEquals(List.of(List.of("first"), List.of("refused one", "fine")), transactions);
        assertTrue(answers.get("refused one") instanceof ChatException);
        assertTrue(answers.get("fine") instanceof MessageStore.Appended);
    }

    @Test
    void aSenderWhoseAnswerFailsDoesNotKeepTheOthersFromTheirs() throws Exception {
        GroupCommit commits = committing(10, 10);
        commits.submit(new MessageStore.NewMessage("lobby", "eve", "x", StoredMessage.TEXT, "x", null),
                (appended, failure) -> {
                    throw new IllegalStateException("a connection that broke while being answered");
                });
        submit(commits, "after");
        release();
        assertTrue(answers.get("after") instanceof MessageStore.Appended);
    }

    /**
     * Two loops: while the transaction of one room's loop is held (a slow commit), a room of the other loop has
     * its message stored and answered; the held room's later message waits and comes after the first.
     */
    @Test
    void aRoomWhoseCommitIsSlowDoesNotHoldUpTheRoomsOfAnotherLoop() throws Exception {
        ExecutorService loops = Executors.newCachedThreadPool();
        CountDownLatch lobbyHeld = new CountDownLatch(1);
        try {
            GroupCommit commits = new GroupCommit(batch -> {
                if (batch.get(0).room().equals("lobby")) {
                    storeEntered.countDown();
                    passWhenOpen(lobbyHeld);
                }
                transactions.add(batch.stream().map(MessageStore.NewMessage::text).toList());
                return batch.stream().map(message -> new GroupCommit.Outcome(
                        new MessageStore.Appended(stored(message), false), null)).toList();
            }, 2, 10, 10, loops, answerer);
            String elsewhere = aRoomOfTheOtherLoop("lobby");
            assertTrue(submit(commits, "lobby", "first"));
            assertTrue(storeEntered.await(10, TimeUnit.SECONDS));
            assertTrue(submit(commits, "lobby", "second"));
            assertTrue(submit(commits, elsewhere, "elsewhere"));
            assertTrue(answered("elsewhere").await(10, TimeUnit.SECONDS));
            assertEquals(List.of(List.of("elsewhere")), transactions, "the lobby's commit is still held");
            lobbyHeld.countDown();
            loops.shutdown();
            assertTrue(loops.awaitTermination(10, TimeUnit.SECONDS));
            answerer.shutdown();
            assertTrue(answerer.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(List.of(List.of("elsewhere"), List.of("first"), List.of("second")), transactions);
            assertEquals(List.of("elsewhere", "first", "second"), answerOrder);
        } finally {
            lobbyHeld.countDown();
            loops.shutdownNow();
        }
    }

    /** A room that two loops give to the other loop than {@code room}'s. */
    private static String aRoomOfTheOtherLoop(String room) {
        for (int i = 0; ; i++) {
            String other = "room" + i;
            if (GroupCommit.loopOf(other, 2) != GroupCommit.loopOf(room, 2)) {
                return other;
            }
        }
    }

    @Test
    void aFailedTransactionAnswersEverySenderOfItsBatch() {
        IllegalStateException down = new IllegalStateException("database unreachable");
        GroupCommit commits = new GroupCommit(batch -> {
            throw down;
        }, 1, 10, 10, Runnable::run, Runnable::run);
        submit(commits, "lost");
        assertSame(down, answers.get("lost"));
    }

    /**
     * Submits {@code text} and waits until its sender's answer has begun; the answer is held until the returned
     * latch opens, then recorded like any other.
     */
    private CountDownLatch answerHeld(GroupCommit commits, String text) throws InterruptedException {
        CountDownLatch answering = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        assertTrue(commits.submit(new MessageStore.NewMessage("lobby", "ann", text, StoredMessage.TEXT, text, null),
                (appended, failure) -> {
                    answering.countDown();
                    passWhenOpen(held);
                    answerOrder.add(text);
                    answers.put(text, failure != null ? failure : appended);
                }));
        assertTrue(answering.await(10, TimeUnit.SECONDS));
        return held;
    }

    /** Answering a batch (frames encoded, readers' queues filled) must not delay the next commit. */
    @Test
    void theNextBatchIsStoredWhileTheOneBeforeIsStillBeingAnsweredAndAnswersKeepCommitOrder() throws Exception {
        GroupCommit commits = commits(10, 10);
        CountDownLatch answerHeld = answerHeld(commits, "slow");
        submit(commits, "next");
        committer.shutdown();
        assertTrue(committer.awaitTermination(10, TimeUnit.SECONDS), "stored while the answer before is held");
        assertEquals(List.of(List.of("slow"), List.of("next")), transactions);
        assertTrue(answerOrder.isEmpty(), "nobody is answered out of turn");
        answerHeld.countDown();
        answerer.shutdown();
        assertTrue(answerer.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(List.of("slow", "next"), answerOrder);
    }

    @Test
    void storedMessagesCountAgainstTheCapacityUntilTheirSendersAreAnswered() throws Exception {
        GroupCommit commits = commits(10, 2);
        CountDownLatch answerHeld = answerHeld(commits, "held");
        assertEquals(1, commits.unanswered(), "stored, its sender not answered yet");
        assertTrue(submit(commits, "a"), "at the capacity with the one being answered");
        assertFalse(submit(commits, "b"), "one past it");
        // Each executor runs its tasks in order: once an empty task has run on the committer, "a" was stored and
        // handed over; once one has run on the answerer after that, both were answered.
        committer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        answerHeld.countDown();
        answerer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        assertTrue(submit(commits, "c"), "room again once answered");
        release();
        assertTrue(answers.get("a") instanceof MessageStore.Appended);
        assertNull(answers.get("b"), "a refused send is not stored later");
        assertTrue(answers.get("c") instanceof MessageStore.Appended);
    }
}
