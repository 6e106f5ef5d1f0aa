package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.protocol.CloseCodes;
import org.junit.jupiter.api.Test;

class ChatStatsTest {

    /** A client picks its close code: the contract's are counted each, any other (or none, 1005) together. */
    @Test
    void closesAreCountedByTheContractsCodesAndTheRestTogether() {
        ChatStats stats = new ChatStats();
        stats.closed(CloseCodes.KICKED);
        stats.closed(CloseCodes.KICKED);
        stats.closed(1006);
        int others = 0;
        for (int code = 4000; code < 5000; code++) {
            if (!CloseCodes.COUNTED.contains(code)) {
                stats.closed(code);
                others++;
            }
        }
        stats.closed(1005);

        assertEquals(2, stats.closedCount(CloseCodes.KICKED));
        assertEquals(1, stats.closedCount(1006));
        assertEquals(0, stats.closedCount(CloseCodes.NORMAL));
        assertEquals(others + 1, stats.closedOtherwiseCount(), "the 4xxx codes the contract does not name, and 1005");
    }
}
