package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.room.Role;
import dev.parley.room.RoomStore;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An owner gives their room to a member: a `role` of `owner`. */
class RoomHandOverTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client olga = t.member("olga", "club");
    private final TestChat.Client mel = t.member("mel", "club");
    private final TestChat.Client bob = t.member("bob", "club");

    @Test
    void theOwnerHandsTheRoomToAMemberAndStaysOnAsAModerator() {
        handle(olga, new ClientFrame.SetRole("h", "club", "mel", "owner"));
        assertEquals("ok", olga.out().reply("h").getString("type"));
        assertEquals(List.of("mel owner", "olga moderator"), bob.out().ofType("role").stream()
                .map(role -> role.getString("user") + " " + role.getString("role")).toList(), "the new owner's first");
        List<String> lines = bob.out().ofType("message").stream().map(m -> m.getString("text")).toList();
        assertEquals("olga handed the room to mel", lines.get(lines.size() - 1));

        handle(olga, new ClientFrame.SetAccess("olga's", "club", "invite", null));
        assertEquals("forbidden", olga.out().reply("olga's").getString("code"), "no longer the owner's to change");
        handle(mel, new ClientFrame.SetAccess("mel's", "club", "public", null));
        assertEquals("ok", mel.out().reply("mel's").getString("type"));
        handle(olga, new ClientFrame.Ban("up", "club", "mel"));
        assertEquals("forbidden", olga.out().reply("up").getString("code"), "a moderator does not ban the owner");
        handle(olga, new ClientFrame.Ban("down", "club", "bob"));
        assertEquals("ok", olga.out().reply("down").getString("type"), "a moderator still");

        assertEquals("owner", rejoined(mel), "the room takes its new owner back as its owner");
        assertEquals("member", rejoined(olga), "and its old owner as anybody else");
    }

    @Test
    void onlyTheOwnerGivesTheRoomAndOnlyToAMember() {
        handle(mel, new ClientFrame.SetRole("member", "club", "bob", "owner"));
        assertEquals("forbidden", mel.out().reply("member").getString("code"));
        handle(olga, new ClientFrame.SetRole("m", "club", "mel", "moderator"));
        handle(mel, new ClientFrame.SetRole("moderator", "club", "bob", "owner"));
        assertEquals("forbidden", mel.out().reply("moderator").getString("code"));
        handle(olga, new ClientFrame.SetRole("outsider", "club", "zed", "owner"));
        assertEquals("not_found", olga.out().reply("outsider").getString("code"));
        handle(olga, new ClientFrame.SetRole("self", "club", "olga", "owner"));
        assertEquals("bad_request", olga.out().reply("self").getString("code"));
        handle(olga, new ClientFrame.SetRole("admin", "club", "bob", "admin"));
        JsonObject unknown = olga.out().reply("admin");
        assertEquals("role is owner, moderator or member", unknown.getString("message"));

        t.clock.advance(Duration.ofSeconds(1));
        handle(olga, new ClientFrame.Dm("dm", "bob"));
        String direct = olga.out().reply("dm").getString("room");
        handle(olga, new ClientFrame.SetRole("direct", direct, "bob", "owner"));
        assertEquals("forbidden", olga.out().reply("direct").getString("code"), "a conversation of two");
        assertEquals(List.of("olga"), t.rooms.all().stream().filter(r -> r.name().equals("club"))
                .map(RoomStore.RoomSummary::owner).toList(), "nothing changed hands");
    }

    /**
     * The store checks who owns the room under its lock: of two hand-overs of one owner at once, both past the
     * role check, the second finds the room given away.
     */
    @Test
    void theSecondOfTwoHandOversFindsTheRoomGivenAway() {
        t.rooms.handOver("club", "olga", "mel");
        ChatException late = assertThrows(ChatException.class, () -> t.rooms.handOver("club", "olga", "bob"));
        assertEquals(ErrorCode.FORBIDDEN, late.code());
        ChatException again = assertThrows(ChatException.class, () -> t.rooms.handOver("club", null, "mel"));
        assertEquals(ErrorCode.CONFLICT, again.code(), "mel owns it already");
    }

    /**
     * Nor does a role change the old owner asked for at the same moment (past the role check, on another device)
     * take the new owner's role away: the store finds the room given away.
     */
    @Test
    void aRoleChangeOfTheOldOwnerAtTheSameMomentIsRefused() {
        t.rooms.handOver("club", "olga", "mel");
        ChatException late = assertThrows(ChatException.class,
                () -> t.rooms.setRole("club", "olga", "mel", Role.MEMBER));
        assertEquals(ErrorCode.FORBIDDEN, late.code());
        assertEquals(Role.OWNER, t.rooms.roleOf("club", "mel").orElseThrow());
    }

    /** Leaves and joins the room again; the role it is joined with. */
    private String rejoined(TestChat.Client client) {
        handle(client, new ClientFrame.Leave("leave", "club"));
        handle(client, new ClientFrame.Join("join", "club", null, null));
        JsonObject joined = client.out().reply("join");
        assertEquals("joined", joined.getString("type"), joined.toString());
        return joined.getString("role");
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }
}
