package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A membership ended on another node whose news never came: the check takes the room all the same. */
class MembershipCheckTest {

    private final TestChat t = new TestChat();
    private final MembershipCheck check = new MembershipCheck(t.rooms, t.rooms, t.live, t.clock);

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
        t.rooms.afterNextRoomsRead = () -> t.chat.handle(bob.connection(),
                new ClientFrame.Join("j2", "club", null, null));

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

    /** A join on another node whose news never came: the room is given at the second check that finds it missed. */
    @Test
    void aRoomTheUserJoinedWithoutNewsIsGivenAtTheSecondCheck() {
        TestChat.Client olga = t.member("olga", "club");
        TestChat.Client bob = t.hello("bob");
        joinedElsewhere("bob", "club");

        t.clock.advance(Duration.ofMillis(MembershipCheck.EVERY_MILLIS));
        check.sweep();
        assertFalse(bob.connection().receives("club"), "once may be a join under way here");

        t.clock.advance(Duration.ofMillis(MembershipCheck.EVERY_MILLIS));
        check.sweep();
        assertTrue(bob.connection().receives("club"));
        JsonObject joined = bob.out().ofType("joined").get(0);
        assertEquals("club", joined.getString("room"));
        assertEquals("member", joined.getString("role"));
        assertFalse(joined.containsKey("ref"));
        t.chat.handle(olga.connection(), new ClientFrame.Send("s", "club", "hi bob", "o-1", null));
        assertEquals("hi bob", bob.out().ofType("message").get(0).getString("text"));
        assertEquals(List.of("bob", "olga"), t.live.online("club"));
    }

    /** The news came between the two checks: the room is his, and nobody tells him twice. */
    @Test
    void aJoinWhoseNewsCameBetweenTwoChecksIsNotToldAgain() {
        t.member("olga", "club");
        TestChat.Client bob = t.hello("bob");
        long seq = joinedElsewhere("bob", "club");

        t.clock.advance(Duration.ofMillis(MembershipCheck.EVERY_MILLIS));
        check.sweep();
        t.live.memberJoined("club", "bob", seq);
        t.clock.advance(Duration.ofMillis(MembershipCheck.EVERY_MILLIS));
        check.sweep();

        assertTrue(bob.connection().receives("club"));
        assertTrue(bob.out().ofType("joined").isEmpty(), "memberJoined alone sends no notice; the check sent none");
    }

    /** @return the room's seq when the user joined */
    private long joinedElsewhere(String user, String room) {
        return t.rooms.join(room, user, new RoomStore.Gate() {
            @Override
            public RoomStore.Refusal check(Access access, String passwordHash, boolean banned) {
                return null;
            }

            @Override
            public RoomStore.Refusal create() {
                return null;
            }
        }).room().seq();
    }
}
