package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A membership ended on another node whose news never came: the check takes the room all the same. */
class MembershipCheckTest {

    private final TestChat t = new TestChat();
    private final MembershipCheck check = new MembershipCheck(t.rooms, t.live, t.clock);

    @Test
    void aRoomTheUserLostWithoutNewsIsTakenAtTheNextCheck() {
        TestChat.Client olga = t.member("olga", "club");
        TestChat.Client bob = t.member("bob", "club");
        TestChat.Client bobsTablet = t.hello("bob");
        t.member("bob", "lounge");
        assertTrue(t.rooms.leave("club", "bob"), "kicked on a node whose event was lost");

        t.clock.advance(Duration.ofMillis(MembershipCheck.EVERY_MILLIS - 1));
        check.sweep();
        assertTrue(bob.connection().receives("club"), "not yet: a check every " + MembershipCheck.EVERY_MILLIS);

        t.clock.advance(Duration.ofMillis(1));
        check.sweep();
        for (TestChat.Client device : List.of(bob, bobsTablet)) {
            assertFalse(device.connection().receives("club"));
            assertTrue(device.connection().receives("lounge"), "a room still his is kept");
            assertEquals("club", device.out().ofType("left").get(0).getString("room"));
        }
        t.chat.handle(bob.connection(), new ClientFrame.Send("s", "club", "still here?", "b-1", null));
        assertEquals("not_member", bob.out().last().getString("code"));
        assertTrue(olga.connection().receives("club"));
        assertEquals(List.of("olga"), t.live.online("club"));
    }

    /** A join again while the check reads the user's rooms: the room may be theirs again, it waits for the next. */
    @Test
    void aRoomGivenAgainWhileTheCheckReadsIsLeftForTheNextCheck() {
        t.member("olga", "club");
        TestChat.Client bob = t.member("bob", "club");
        assertTrue(t.rooms.leave("club", "bob"), "left on a node whose event was lost");
        t.rooms.afterNextRoomsRead = () -> t.chat.handle(bob.connection(), new ClientFrame.Join("j2", "club", null));

        t.clock.advance(Duration.ofMillis(MembershipCheck.EVERY_MILLIS));
        check.sweep();

        assertTrue(bob.connection().receives("club"));
        assertTrue(bob.out().ofType("left").isEmpty());
    }

    /** A leave whose news arrived between the check's reads: nothing more to take, and nobody hears it twice. */
    @Test
    void aLeaveWhoseNewsCameDuringTheCheckIsNotToldAgain() {
        t.member("olga", "club");
        TestChat.Client bob = t.member("bob", "club");
        assertTrue(t.rooms.leave("club", "bob"));
        t.rooms.afterNextRoomsRead = () -> t.live.memberLeft("club", "bob");

        t.clock.advance(Duration.ofMillis(MembershipCheck.EVERY_MILLIS));
        check.sweep();

        assertFalse(bob.connection().receives("club"));
        assertTrue(bob.out().ofType("left").isEmpty(), "memberLeft alone sends no notice; the check sent none");
    }

    @Test
    void membersKeepTheirRoomsAndHearNothing() {
        TestChat.Client olga = t.member("olga", "club");
        int frames = olga.out().frames.size();

        t.clock.advance(Duration.ofMillis(MembershipCheck.EVERY_MILLIS));
        check.sweep();

        assertTrue(olga.connection().receives("club"));
        assertEquals(frames, olga.out().frames.size());
    }
}
