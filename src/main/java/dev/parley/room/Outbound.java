package dev.parley.room;

import dev.parley.protocol.EncodedFrame;

/** The sending side of one connection, as the transport provides it. */
public interface Outbound {

    /**
     * Queues an encoded frame without blocking.
     *
     * @return false when the connection's queue is full or closed: the caller gives up on the connection
     */
    boolean offer(EncodedFrame frame);

    /** Sends a close frame after what is queued already, without blocking the caller. */
    void close(int code, String reason);

    /** Drops what is queued and closes as soon as the send in flight is done: for a peer that stopped reading. */
    void abort(int code, String reason);

    /**
     * Closes the connection with 4008 when a send has been in flight too long (the peer stopped reading).
     *
     * @return whether it closed the connection now
     */
    boolean closeIfStalled();

    /** Characters queued and not written yet: how far behind the reader is. */
    long queuedChars();

    /** How long the send in flight has taken so far, in milliseconds; 0 while the writer is idle. */
    long sendingMillis();
}
