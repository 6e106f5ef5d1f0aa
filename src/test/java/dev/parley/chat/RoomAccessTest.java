package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Protected rooms, roles and bans, as the chat service decides them. */
class RoomAccessTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client owner = t.member("olga", "club");

    @Test
    void aPasswordRoomLetsInOnlyThoseWithThePassword() {
        handle(owner, new ClientFrame.SetAccess("a", "club", "password", "open sesame"));
        assertEquals("ok", owner.out().last().getString("type"));

        TestChat.Client bob = t.hello("bob");
        handle(bob, new ClientFrame.Join("none", "club", null));
        assertError(bob, "none", "forbidden");
        handle(bob, new ClientFrame.Join("wrong", "club", "open sesame!"));
        assertError(bob, "wrong", "forbidden");
        assertFalse(bob.connection().receives("club"));

        handle(bob, new ClientFrame.Join("right", "club", "open sesame"));
        assertEquals("right", lastOf(bob, "joined").getString("ref"));
        assertTrue(bob.connection().receives("club"));
    }

    @Test
    void aPasswordIsNeededToMakeAPasswordRoomAndIsNeverTooLong() {
        handle(owner, new ClientFrame.SetAccess("empty", "club", "password", null));
        assertError(owner, "empty", "bad_request");
        handle(owner, new ClientFrame.SetAccess("edge", "club", "password", "p".repeat(1024)));
        assertEquals("ok", owner.out().last().getString("type"), "1024 characters is the edge");
        handle(owner, new ClientFrame.SetAccess("past", "club", "password", "p".repeat(1025)));
        assertError(owner, "past", "bad_request");
        handle(owner, new ClientFrame.SetAccess("odd", "club", "secret", null));
        assertError(owner, "odd", "bad_request");
    }

    @Test
    void anInviteOnlyRoomTakesOnlyInvitedUsersWhoLearnItLive() {
        handle(owner, new ClientFrame.SetAccess("a", "club", "invite", null));
        TestChat.Client bob = t.hello("bob");
        handle(bob, new ClientFrame.Join("j", "club", null));
        assertError(bob, "j", "forbidden");

        handle(owner, new ClientFrame.Invite("i", "club", "bob"));
        assertEquals("ok", owner.out().last().getString("type"));
        JsonObject joined = lastOf(bob, "joined");
        assertEquals("club", joined.getString("room"));
        assertEquals("member", joined.getString("role"));
        assertTrue(bob.connection().receives("club"), "the invited user's open connections receive the room");

        handle(owner, new ClientFrame.Invite("again", "club", "bob"));
        assertError(owner, "again", "conflict");
    }

    @Test
    void onlyTheOwnerChangesAccessAndRolesAndOnlyModeratorsInvite() {
        TestChat.Client mod = t.member("mia", "club");
        TestChat.Client bob = t.member("bob", "club");
        handle(bob, new ClientFrame.SetAccess("a", "club", "invite", null));
        assertError(bob, "a", "forbidden");
        handle(bob, new ClientFrame.Invite("i", "club", "carl"));
        assertError(bob, "i", "forbidden");
        handle(bob, new ClientFrame.SetRole("r", "club", "bob", "moderator"));
        assertError(bob, "r", "forbidden");

        handle(owner, new ClientFrame.SetRole("r", "club", "mia", "moderator"));
        assertEquals("ok", owner.out().last().getString("type"));
        handle(mod, new ClientFrame.Invite("i", "club", "carl"));
        assertEquals("ok", mod.out().last().getString("type"));
        handle(mod, new ClientFrame.SetAccess("a", "club", "invite", null));
        assertError(mod, "a", "forbidden");

        handle(owner, new ClientFrame.SetRole("r2", "club", "mia", "member"));
        handle(mod, new ClientFrame.Invite("i2", "club", "dora"));
        assertError(mod, "i2", "forbidden", "a demotion takes effect at once");

        handle(owner, new ClientFrame.SetRole("r3", "club", "nobody", "moderator"));
        assertError(owner, "r3", "not_found");
        handle(owner, new ClientFrame.SetRole("r4", "club", "olga", "member"));
        assertError(owner, "r4", "bad_request");
    }

    @Test
    void aBannedUserLeavesAtOnceAndCannotJoinAgainUntilUnbanned() {
        TestChat.Client eve = t.member("eve", "club");
        handle(owner, new ClientFrame.Ban("b", "club", "eve"));
        assertEquals("ok", owner.out().last().getString("type"));
        JsonObject left = eve.out().last();
        assertEquals("left", left.getString("type"));
        assertEquals("banned", left.getString("reason"));
        assertFalse(eve.connection().receives("club"));

        handle(eve, new ClientFrame.Send("s", "club", "let me in", "e-1", null));
        assertError(eve, "s", "not_member");
        handle(eve, new ClientFrame.Join("j", "club", null));
        assertError(eve, "j", "banned");
        handle(owner, new ClientFrame.Invite("i", "club", "eve"));
        assertError(owner, "i", "conflict");

        handle(owner, new ClientFrame.Unban("u", "club", "eve"));
        assertEquals("ok", owner.out().last().getString("type"));
        handle(eve, new ClientFrame.Join("j2", "club", null));
        assertEquals("j2", lastOf(eve, "joined").getString("ref"));
        handle(owner, new ClientFrame.Unban("u2", "club", "eve"));
        assertError(owner, "u2", "not_found");
    }

    @Test
    void moderatorsBanOnlyThoseBelowThem() {
        TestChat.Client mia = t.member("mia", "club");
        t.member("max", "club");
        handle(owner, new ClientFrame.SetRole("r", "club", "mia", "moderator"));
        handle(owner, new ClientFrame.SetRole("r", "club", "max", "moderator"));
        handle(mia, new ClientFrame.Ban("b1", "club", "olga"));
        assertError(mia, "b1", "forbidden");
        handle(mia, new ClientFrame.Ban("b2", "club", "max"));
        assertError(mia, "b2", "forbidden");
        handle(mia, new ClientFrame.Ban("b3", "club", "mia"));
        assertError(mia, "b3", "forbidden");
        handle(mia, new ClientFrame.Ban("b4", "club", "stranger"));
        assertEquals("ok", mia.out().last().getString("type"), "a user who is not a member can be kept out");
        handle(mia, new ClientFrame.Ban("b5", "club", "<script>"));
        assertError(mia, "b5", "bad_request");
    }

    @Test
    void roomAdministrationNeedsMembership() {
        TestChat.Client bob = t.hello("bob");
        handle(bob, new ClientFrame.Ban("b", "club", "olga"));
        assertError(bob, "b", "not_member");
        handle(bob, new ClientFrame.SetAccess("a", "club", "public", null));
        assertError(bob, "a", "not_member");
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }

    private static JsonObject lastOf(TestChat.Client client, String type) {
        return client.out().ofType(type).get(client.out().ofType(type).size() - 1);
    }

    private static void assertError(TestChat.Client client, String ref, String code, String... why) {
        JsonObject last = client.out().last();
        assertEquals("error", last.getString("type"), String.join(" ", why) + " " + last);
        assertEquals(ref, last.getString("ref"));
        assertEquals(code, last.getString("code"), last.toString());
    }
}
