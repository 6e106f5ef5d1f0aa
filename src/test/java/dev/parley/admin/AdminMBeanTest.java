package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

/** What a JMX console is shown when an operation does not go through. */
class AdminMBeanTest {

    @Test
    void aRefusalSaysWhyAndAFailureOfTheServerSaysSo() {
        RuntimeException refused = AdminMBean.forConsole(new ChatException(ErrorCode.NOT_FOUND, "no room lobby"));
        assertInstanceOf(IllegalArgumentException.class, refused);
        assertEquals("no room lobby", refused.getMessage());

        for (Throwable fault : new Throwable[] {new PersistenceException("connection refused"),
                new ChatException(ErrorCode.INTERNAL, "could not store"), new NullPointerException(),
                new IllegalArgumentException("a JPA query given the wrong argument")}) {
            RuntimeException shown = AdminMBean.forConsole(fault);
            assertInstanceOf(IllegalStateException.class, shown, "not the operator's to mend: " + fault);
            assertEquals("the server failed (" + fault.getClass().getSimpleName() + "); its log has the details",
                    shown.getMessage());
        }
    }
}
