package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The configured limits are checked when the application starts, at and past each edge. */
class SettingsTest {

    @Test
    void theDefaultsAreWithinTheirRanges() {
        assertEquals(Limits.DEFAULTS, withDefaults().limits());
    }

    @Test
    void theLongestTextAllowedIsWhatTheMessageColumnHolds() {
        Settings settings = withDefaults();
        settings.maxTextChars = Limits.MAX_TEXT_CHARS;
        assertEquals(8_000, settings.limits().maxTextChars());

        settings.maxTextChars = Limits.MAX_TEXT_CHARS + 1;
        assertEquals("parley.text.max.chars must be 1 to 8000, not 8001",
                assertThrows(IllegalArgumentException.class, settings::limits).getMessage());
        settings.maxTextChars = 0;
        assertThrows(IllegalArgumentException.class, settings::limits);
    }

    @Test
    void theFrameLimitHoldsAFrameOfTheLongestTexts() {
        Settings settings = withDefaults();
        settings.maxFrameBytes = 1024;
        assertEquals(1024, settings.limits().maxFrameBytes());
        settings.maxFrameBytes = 16 * 1024 * 1024;
        assertEquals(16 * 1024 * 1024, settings.limits().maxFrameBytes());

        settings.maxFrameBytes = 1023;
        assertThrows(IllegalArgumentException.class, settings::limits);
        settings.maxFrameBytes = 16 * 1024 * 1024 + 1;
        assertThrows(IllegalArgumentException.class, settings::limits);
    }

    @Test
    void aRateOfNoFramesIsRefusedRatherThanRefusingEveryFrame() {
        Settings settings = withDefaults();
        settings.framesPerSecond = 1;
        settings.frameBurst = 1_000_000;
        assertEquals(1, settings.limits().framesPerSecond());
        assertEquals(1_000_000, settings.limits().frameBurst());

        settings.framesPerSecond = 0;
        assertEquals("parley.rate.frames.per.second must be 1 to 1000000, not 0",
                assertThrows(IllegalArgumentException.class, settings::limits).getMessage());
        settings.framesPerSecond = 20;
        settings.frameBurst = 1_000_001;
        assertThrows(IllegalArgumentException.class, settings::limits);
    }

    @Test
    void retentionOfNoDaysKeepsMessagesForever() {
        Settings settings = withDefaults();
        assertEquals(OptionalInt.empty(), settings.retentionDays());
        settings.retentionDays = 1;
        assertEquals(OptionalInt.of(1), settings.retentionDays());
        settings.retentionCheckSeconds = 0;
        assertEquals(Duration.ofSeconds(1), settings.retentionCheck(), "at most once a second");
    }

    /** The values of the defaults, as MicroProfile Config injects them when nothing is set. */
    private static Settings withDefaults() {
        Limits d = Limits.DEFAULTS;
        Settings settings = new Settings();
        settings.heartbeatSeconds = d.heartbeatSeconds();
        settings.helloTimeoutSeconds = (int) d.helloTimeout().toSeconds();
        settings.maxFrameBytes = d.maxFrameBytes();
        settings.maxTextChars = d.maxTextChars();
        settings.outboundQueueChars = d.outboundQueueChars();
        settings.framesPerSecond = d.framesPerSecond();
        settings.frameBurst = d.frameBurst();
        settings.connectionsPerUser = d.connectionsPerUser();
        settings.resendSeconds = (int) d.resendAfter().toSeconds();
        settings.maxResends = d.maxResends();
        settings.editWindowMinutes = d.editWindow().toMinutes();
        settings.retentionCheckSeconds = 3600;
        return settings;
    }
}
