package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.config.Limits;
import dev.parley.testing.InMemoryLimitStore;
import dev.parley.testing.TestChat;
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
}
