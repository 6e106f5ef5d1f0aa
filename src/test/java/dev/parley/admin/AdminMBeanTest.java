package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.testing.CapturedLog;
import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** What a JMX console is shown when an operation does not go through, and what the server's log keeps of it. */
class AdminMBeanTest {

    @Test
    void aRefusalSaysWhyAndAFailureOfTheServerSaysSo() {
        try (CapturedLog log = CapturedLog.of(AdminMBean.class)) {
            RuntimeException refused = AdminMBean.forConsole(new ChatException(ErrorCode.NOT_FOUND, "no room lobby"));
            assertInstanceOf(IllegalArgumentException.class, refused);
            assertEquals("no room lobby", refused.getMessage());
            assertEquals(List.of(), log.records(), "a refusal is the operator's: nothing for the log");

            for (Throwable fault : new Throwable[] {new PersistenceException("connection refused"),
                    new ChatException(ErrorCode.INTERNAL, "could not store"), new NullPointerException(),
                    new IllegalArgumentException("a JPA query given the wrong argument")}) {
                RuntimeException shown = AdminMBean.forConsole(fault);
                assertInstanceOf(IllegalStateException.class, shown, "not the operator's to mend: " + fault);
                assertEquals("the server failed (" + fault.getClass().getSimpleName() + "); its log has the details",
                        shown.getMessage());
                List<LogRecord> records = log.records();
                assertFalse(records.isEmpty(), "the failure is logged");
                LogRecord logged = records.get(records.size() - 1);
                assertEquals(Level.WARNING, logged.getLevel());
                assertSame(fault, logged.getThrown(), "the log has the failure itself, with its stack");
            }
        }
    }
}
