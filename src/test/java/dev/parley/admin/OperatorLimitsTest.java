package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Limits;
import dev.parley.testing.CapturedLog;
import dev.parley.testing.InMemoryLimitStore;
import dev.parley.testing.TestChat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorLimitsTest {

    private final TestChat t = new TestChat();
    private final InMemoryLimitStore stored = new InMemoryLimitStore();

    /**
     * Reads of the stored limits run at once (the timed re-read, the bus's word, an admin's change) and may end
     * in any order: one that read before a change was stored, and ends after the change is in force, must not
     * put the old limits back until the next re-read.
     */
    @Test
    void aReadOvertakenByALaterOneDoesNotPutBackWhatItRead() {
        OperatorLimits[] limits = new OperatorLimits[1];
        boolean[] overtaken = {false};
        LimitStore slow = new LimitStore() {
            @Override
            public Map<String, Integer> changed() {
                Map<String, Integer> read = stored.changed();
                if (!overtaken[0]) {
                    overtaken[0] = true;
                    limits[0].change(null, null, null, 10); // stored and read again before this read ends
                }
                return read;
            }

            @Override
            public void change(Map<String, Integer> changed) {
                stored.change(changed);
            }

            @Override
            public void reset() {
                stored.reset();
            }
        };
        limits[0] = new OperatorLimits(slow, Limits.DEFAULTS, t.chat, t.bus);

        assertEquals(10, limits[0].reload().maxTextChars());
        assertEquals(10, t.chat.limits().maxTextChars());
    }

    @Test
    void onlyTheLimitsGivenAreStoredByTheirNamesInTheJson() {
        new OperatorLimits(stored, Limits.DEFAULTS, t.chat, t.bus).change(30, null, 2048, null);
        assertEquals(Map.of("framesPerSecond", 30, "maxFrameBytes", 2048), stored.changed());
    }

    /**
     * A value put into the table by hand, outside what the API takes (or of no such limit), is left out, warned of
     * once: the next re-read, finding it still there, says nothing more.
     */
    @Test
    void aStoredValueTheApiWouldRefuseIsLeftOutWithOneWarning() {
        stored.change(Map.of("maxTextChars", 0, "framesPerSecond", 50, "maxFrameBytes", Limits.MAX_FRAME_BYTES + 1,
                "bogus", 3));
        OperatorLimits limits = new OperatorLimits(stored, Limits.DEFAULTS, t.chat, t.bus);
        try (CapturedLog log = CapturedLog.of(OperatorLimits.class)) {
            Limits read = limits.reload();
            assertEquals(List.of(50, Limits.DEFAULTS.maxTextChars(), Limits.DEFAULTS.maxFrameBytes()),
                    List.of(read.framesPerSecond(), read.maxTextChars(), read.maxFrameBytes()));
            assertEquals(3, log.records().size(), "one warning a value left out");
            assertTrue(log.records().stream().anyMatch(r -> r.getMessage().startsWith(
                    "the stored limit maxTextChars = 0 is outside 1 to 8000: left out")), log.records().toString());
            limits.reload();
            assertEquals(3, log.records().size(), "said once");
        }
        assertThrows(IllegalArgumentException.class, () -> limits.change(null, null, null, 0), "nor does the API");
        assertEquals(0, stored.changed().get("maxTextChars"), "nothing stored by a refused change");
    }
}
