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
import jakarta.enterprise.concurrent.ManagedExecutorService;
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

    /** Stores messages: a sender's own thread is the connection's reader and must not be held by others'. */
    @Resource
    ManagedExecutorService executor;

    @Resource
    ContextService contexts;

    @Resource
    ManagedThreadFactory threads;

    /**
     * Answers the senders of stored messages and hands the messages to their rooms, batch after batch in commit
     * order: one thread. It never holds more batches than messages may be waiting (each batch has one at least).
     */
    private ThreadPoolExecutor answers;

    private ChatService chat;

    @PostConstruct
    void assemble() {
        // The executor's tasks take the submitter's context; a message may be sent from a thread with none
        // (the data grid's), so the commit runs in the application's, captured here.
        Executor inApplication = contexts.createContextualProxy((Executor) Runnable::run, Executor.class);
        Executor committer = task -> executor.execute(() -> inApplication.execute(task));
        answers = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(ChatService.COMMIT_QUEUE),
                threads);
        Executor answerer = task -> answers.execute(() -> inApplication.execute(task));
        chat = new ChatService(rooms, moderation, messages, committer, answerer, registry.redelivery(),
                registry.readMarkers(), registry.live(), bus, tokens, hasher, sanctions, blocks, limits,
                Clock.systemUTC());
    }

    /** Batches stored but not answered yet are answered still; once stopped, the committer answers itself. */
    @PreDestroy
    void stop() {
        answers.shutdown();
    }

    @Produces
    public ChatService chatService() {
        return chat;
    }
}
