package dev.parley.room;

import java.time.Clock;

/**
 * A node's two clocks. The wall clock tells the times of day that are stored or compared across nodes: when a
 * mute or a ban ends, when a token expires, how long after its message an edit comes. The steady one times
 * what lasts within the node: a connection's deadlines, resends and frame budget, the rate windows; a step of
 * the wall clock (NTP, a virtual machine resumed) moves none of those.
 */
public record Clocks(Clock wall, Clock steady) {

    /** The node's own. */
    public static final Clocks NODE = new Clocks(Clock.systemUTC(), SteadyClock.UTC);
}
