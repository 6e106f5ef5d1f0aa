package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.parley.protocol.CloseCodes;
import dev.parley.testing.RecordingOutbound;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Notices of the user's rooms held for the welcome of a connection signing in. */
class ConnectionTest {

    private final RecordingOutbound out = new RecordingOutbound();
    private final Connection connection = new Connection("c1", "127.0.0.1", out, 0, new TokenBucket(20, 40, 0),
            new TokenBucket(5, 10, 0));

    @Test
    void noticesBeforeTheWelcomeFollowItAndLaterOnesGoOutAtOnce() {
        List<String> notices = IntStream.range(0, Connection.MOST_HELD_NOTICES).mapToObj(ConnectionTest::notice)
                .toList();
        notices.forEach(connection::sendNotice);
        assertEquals(List.of(), out.frames, "held while the hello is answered");

        connection.send("{\"type\":\"welcome\"}");
        connection.welcomed();
        connection.sendNotice(notice(99));

        assertEquals("{\"type\":\"welcome\"}", out.frames.get(0));
        assertEquals(notices, out.frames.subList(1, notices.size() + 1), "all " + notices.size() + ", in order");
        assertEquals(notice(99), out.frames.get(notices.size() + 1));
        assertNull(out.closeCode);
    }

    @Test
    void oneNoticeMoreThanAWelcomeHoldsClosesTheConnectionForTheClientToReadItsRoomsAfresh() {
        IntStream.rangeClosed(0, Connection.MOST_HELD_NOTICES).mapToObj(ConnectionTest::notice)
                .forEach(connection::sendNotice);

        assertEquals(CloseCodes.TOO_SLOW, out.closeCode);
    }

    private static String notice(int i) {
        return "{\"type\":\"joined\",\"room\":\"r" + i + "\"}";
    }
}
