package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.config.Limits;
import dev.parley.config.Settings;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.Redelivery;
import dev.parley.room.Clocks;
import dev.parley.room.MembershipCheck;
import dev.parley.room.ModerationStore;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import dev.parley.security.AccountDeleted;
import dev.parley.security.AddressCap;
import dev.parley.security.Blocks;
import dev.parley.security.HashTurns;
import dev.parley.security.PasswordChecks;
import dev.parley.security.PasswordHasher;
import dev.parley.security.Sanctions;
import dev.parley.security.TokenService;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Assembles the one {@link ChatService} of the application from the container's beans. */
@ApplicationScoped
public class ChatServiceProducer {

    private static final Logger LOG = Logger.getLogger(ChatServiceProducer.class.getName());

    @Inject
    RoomStore rooms;

    @Inject
    ModerationStore moderation;

    @Inject
    PasswordHasher hasher;

    @Inject
    HashTurns turns;

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

    @Inject
    Settings settings;

    /**
     * Makes the threads of the commit loops and of the answerer. Each is made here, at start, so that it runs in
     * the application's context for its whole life (a message may be sent from a thread with none, the data
     * grid's) and no task captures or sets up a context again: per task, on the managed executor and through a
     * contextual proxy, that took 5% of the server's CPU in the fan-out target (performance.md, item 23).
     */
    @Resource
    ManagedThreadFactory threads;

    /**
     * Runs the commit loops (a sender's own thread is the connection's reader and must not be held by others'):
     * a thread per loop. A loop has at most two tasks at once, one ending as the next starts.
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
        commits = startedPool(MessagePosting.COMMIT_LOOPS, 2 * MessagePosting.COMMIT_LOOPS);
        answers = startedPool(1, MessagePosting.COMMIT_QUEUE);
        // Gap fills and resends each second, on the registry's store turn; there is nothing to sweep before the
        // first connection, which needs this ChatService.
        // Connections are timed on the node's steady clock (Clocks: a step of the wall clock moves no deadline).
        Redelivery redelivery = Redelivery.of(messages, registry.live(), Clocks.NODE.steady(), limits);
        registry.everyStoreTurn(redelivery::sweep);
        registry.everyStoreTurn(new MembershipCheck(rooms, moderation, registry.live(), Clocks.NODE.steady())::sweep);
        PasswordChecks passwords = new PasswordChecks(hasher, turns,
                settings.roomPasswordsPerAddressPerMinute(), Clocks.NODE.steady());
        AddressCap newRooms = new AddressCap(settings.newRoomsPerAddressPerMinute(), Clocks.NODE.steady());
        chat = new ChatService(rooms, moderation, messages, commits, answers, redelivery,
                registry.readMarkers(), registry.live(), bus, tokens, passwords, newRooms, sanctions, blocks, limits,
                Clocks.NODE);
    }

    /** Its threads, all made now: on this thread, in the application's context. */
    private ThreadPoolExecutor startedPool(int threadCount, int queued) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threadCount, threadCount, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queued), threads);
        pool.prestartAllCoreThreads();
        return pool;
    }

    /**
     * After the schema migrations, which observe the same event first: the room mutes stored before this node
     * started hold from its first send (it read none until its first re-read, 10 s later, and a muted member's
     * sends were stored meanwhile after every restart). Read here, not when a send first asks: with the
     * database away, that send would wait for it on the reader's thread.
     */
    void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
        chat.reloadMutes();
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

    /**
     * A deleted account's rooms no longer list it (ended on the node that deleted it; the others hear of it by the
     * bus). The account is deleted whatever happens here: a failure is the operator's to see, not the user's.
     */
    void accountDeleted(@Observes AccountDeleted deleted) {
        try {
            chat.leaveAll(deleted.user());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the rooms of the deleted account " + deleted.user() + " may still list it", e);
        }
    }

    @Produces
    public ChatService chatService() {
        return chat;
    }
}
