package dev.parley.transport;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that write to the sockets: one lane per core, each connection given one lane for its life, in
 * turn. Whoever hands a message to a room only queues it for each reader; the lanes write, in parallel, and a
 * lane that falls behind finds several frames queued per connection and writes them at once, which makes a
 * busy server's writes cheaper rather than later. A lane's queue holds at most one task per connection (the
 * outbound queue starts its writer once); past its bound, or once stopped, the caller writes itself.
 */
@ApplicationScoped
public class WriterLanes {

    static final int MOST_WAITING = 1 << 16;

    /** The container's threads: they are stopped with the application and show up in its thread dumps. */
    @Resource
    ManagedThreadFactory threads;

    private ThreadPoolExecutor[] lanes;
    private final AtomicInteger turn = new AtomicInteger();

    public WriterLanes() {
    }

    /** Lanes outside a container: on threads of the given factory. */
    WriterLanes(int count, ThreadFactory factory) {
        start(count, factory);
    }

    @PostConstruct
    void start() {
        start(Runtime.getRuntime().availableProcessors(), threads);
    }

    private void start(int count, ThreadFactory factory) {
        lanes = new ThreadPoolExecutor[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MOST_WAITING),
                    factory, (task, lane) -> task.run());
        }
    }

    /** The lane for a new connection. */
    public Executor next() {
        return lanes[Math.floorMod(turn.getAndIncrement(), lanes.length)];
    }

    @PreDestroy
    void stop() {
        for (ThreadPoolExecutor lane : lanes) {
            lane.shutdown();
        }
    }
}
