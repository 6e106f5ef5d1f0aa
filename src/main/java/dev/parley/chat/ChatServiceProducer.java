package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.room.ModerationStore;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import dev.parley.security.PasswordHasher;
import dev.parley.security.Blocks;
import dev.parley.security.Sanctions;
import dev.parley.security.TokenService;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Assembles the one {@link ChatService} of the application from the container's beans. */
@ApplicationScoped
public class ChatServiceProducer {

    @Inject
    RoomStore rooms;

    @Inject
    ModerationStore moderation;

    @Inject
    PasswordHasher hasher;

    @Inject
    MessageStore messages;

    @Inject
    RoomRegistry registry;

    @Inject
    ClusterBus bus;

    @Inject
    TokenService tokens;

    @Inject
    Sanctions sanctions;

    @Inject
    Blocks blocks;

    @Inject
    Limits limits;

    @Resource
    ContextService contexts;

    @Resource
    ManagedThreadFactory threads;

    /**
     * Runs the commit loops (a sender's own thread is the connection's reader and must not be held by others'):
     * a thread per loop, made once. A loop starts again for nearly every message when they come one at a time,
     * and the managed executor captured a context for each start: 6% of the server's CPU in the fan-out target
     * (performance.md, item 22). A loop has at most two tasks at once, one ending as the next starts.
     */
    private ThreadPoolExecutor commits;

    /**
     * Answers the senders of stored messages and hands the messages to their rooms, batch after batch in commit
     * order: one thread. It never holds more batches than messages may be waiting (each batch has one at least).
     */
    private ThreadPoolExecutor answers;

    private ChatService chat;

    @PostConstruct
    void assemble() {
        // A message may be sent from a thread with no application context (the data grid's), so commits and
        // answers run in the application's, captured here once.
        Executor inApplication = contexts.createContextualProxy((Executor) Runnable::run, Executor.class);
        commits = new ThreadPoolExecutor(ChatService.COMMIT_LOOPS, ChatService.COMMIT_LOOPS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2 * ChatService.COMMIT_LOOPS), threads);
        Executor committer = task -> commits.execute(() -> inApplication.execute(task));
        answers = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(ChatService.COMMIT_QUEUE),
                threads);
        Executor answerer = task -> answers.execute(() -> inApplication.execute(task));
        chat = new ChatService(rooms, moderation, messages, committer, answerer, registry.redelivery(),
                registry.readMarkers(), registry.live(), bus, tokens, hasher, sanctions, blocks, limits,
                Clock.systemUTC());
    }

    /**
     * Commits under way end, and the batches they stored are answered still; once the answerer has stopped, the
     * committer answers itself.
     */
    @PreDestroy
    void stop() {
        commits.shutdown();
        answers.shutdown();
    }

    @Produces
    public ChatService chatService() {
        return chat;
    }
}
