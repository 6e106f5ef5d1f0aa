package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ClientFrame;
import dev.parley.room.ModerationStore;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Invitation links: who makes them, for how long, and whom they let into a room. */
class RoomLinksTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client olga = t.member("olga", "club");
    private final TestChat.Client bob = t.hello("bob");

    @Test
    void aLinkLetsWhoeverHasItIntoAnInviteOnlyRoomUntilItExpires() {
        handle(olga, new ClientFrame.SetAccess("a", "club", "invite", null));
        String code = link(olga, null);
        handle(bob, new ClientFrame.Join("plain", "club", null, null));
        assertEquals("forbidden", bob.out().reply("plain").getString("code"), "invite-only without the link");
        handle(bob, new ClientFrame.Join("linked", "club", null, code));
        assertEquals("joined", bob.out().reply("linked").getString("type"));
        assertTrue(bob.connection().receives("club"));
        assertEquals("olga made an invitation link", lines(olga).get(lines(olga).size() - 1));

        TestChat.Client cy = t.hello("cy");
        t.clock.advance(Duration.ofMinutes(RoomLinks.DEFAULT_MINUTES).minusSeconds(1));
        TestChat.Client dan = t.hello("dan");
        handle(dan, new ClientFrame.Join("in time", "club", null, code));
        assertEquals("joined", dan.out().reply("in time").getString("type"), "a day less a second");
        t.clock.advance(Duration.ofSeconds(1));
        handle(cy, new ClientFrame.Join("late", "club", null, code));
        JsonObject refused = cy.out().reply("late");
        assertEquals("forbidden", refused.getString("code"));
        assertEquals("the invitation link is not valid: it expired, was removed, or is for another room",
                refused.getString("message"));
    }

    @Test
    void aLinkStandsForTheRoomsPasswordButNotForABan() {
        handle(olga, new ClientFrame.SetAccess("a", "club", "password", "open sesame"));
        String code = link(olga, 5);
        handle(olga, new ClientFrame.Ban("b", "club", "eve"));
        TestChat.Client eve = t.hello("eve");
        handle(eve, new ClientFrame.Join("banned", "club", null, code));
        assertEquals("banned", eve.out().reply("banned").getString("code"));
        handle(bob, new ClientFrame.Join("wrong password", "club", "guess", code));
        assertEquals("joined", bob.out().reply("wrong password").getString("type"), "the link is enough");
    }

    @Test
    void aCodeIsForItsRoomOnlyAndUnlinkEndsEveryLinkOfTheRoom() {
        String first = link(olga, null);
        String second = link(olga, null);
        assertFalse(first.equals(second));
        assertEquals(22, first.length(), "128 bits in base64url");
        t.member("otto", "elsewhere");
        handle(bob, new ClientFrame.Join("other room", "elsewhere", null, first));
        assertEquals("forbidden", bob.out().reply("other room").getString("code"), "not that room's link");
        handle(bob, new ClientFrame.Join("malformed", "club house", null, first));
        assertEquals("bad_request", bob.out().reply("malformed").getString("code"), "the name, as without a code");

        handle(olga, new ClientFrame.Unlink("u", "club", null));
        assertEquals("ok", olga.out().reply("u").getString("type"));
        assertEquals("olga removed the room's invitation links", lines(olga).get(lines(olga).size() - 1));
        for (String code : List.of(first, second)) {
            handle(bob, new ClientFrame.Join(code, "club", null, code));
            assertEquals("forbidden", bob.out().reply(code).getString("code"), "even to a public room");
        }
        handle(olga, new ClientFrame.Unlink("none", "club", null));
        assertEquals("ok", olga.out().reply("none").getString("type"), "none left: ok all the same");
    }

    /**
     * The owner and moderators list the room's links in force, the last to end first, with who made each, and end
     * one of them: the room is told, and the others still admit.
     */
    @Test
    void theLinksInForceAreListedAndEndedOneByOne() {
        TestChat.Client mel = t.member("mel", "club");
        handle(olga, new ClientFrame.SetRole("r", "club", "mel", "moderator"));
        String hour = link(olga, 60);
        String day = link(mel, null);
        String minute = link(olga, 1);
        t.clock.advance(Duration.ofMinutes(1));
        handle(mel, new ClientFrame.Links("l", "club"));
        JsonObject listed = mel.out().reply("l");
        assertEquals(List.of(day + " mel", hour + " olga"), listed.getJsonArray("items").getValuesAs(JsonObject.class)
                .stream().map(link -> link.getString("code") + " " + link.getString("by")).toList(),
                "not the expired one");

        handle(olga, new ClientFrame.Unlink("one", "club", day));
        assertEquals("ok", olga.out().reply("one").getString("type"));
        assertEquals("olga removed an invitation link", lines(olga).get(lines(olga).size() - 1));
        handle(bob, new ClientFrame.Join("removed", "club", null, day));
        assertEquals("forbidden", bob.out().reply("removed").getString("code"));
        handle(bob, new ClientFrame.Join("other", "club", null, hour));
        assertEquals("joined", bob.out().reply("other").getString("type"), "the others still admit");
        handle(bob, new ClientFrame.Join("member", "club", null, day));
        assertEquals("joined", bob.out().reply("member").getString("type"), "a member who follows an old link is in");

        for (String code : List.of(day, minute, "no-such-code")) {
            handle(olga, new ClientFrame.Unlink(code, "club", code));
            assertEquals("not_found", olga.out().reply(code).getString("code"), "removed, expired, or none");
        }
        t.member("otto", "elsewhere");
        handle(olga, new ClientFrame.Unlink("other room", "elsewhere", hour));
        assertEquals("not_member", olga.out().reply("other room").getString("code"));
        handle(bob, new ClientFrame.Links("list", "club"));
        assertEquals("forbidden", bob.out().reply("list").getString("code"), "a member does not list them");
    }

    @Test
    void onlyTheOwnerAndModeratorsMakeLinksForAWeekAtMost() {
        TestChat.Client mel = t.member("mel", "club");
        handle(mel, new ClientFrame.Link("member", "club", null));
        assertEquals("forbidden", mel.out().reply("member").getString("code"));
        handle(mel, new ClientFrame.Unlink("member unlink", "club", null));
        assertEquals("forbidden", mel.out().reply("member unlink").getString("code"));
        handle(bob, new ClientFrame.Link("outsider", "club", null));
        assertEquals("not_member", bob.out().reply("outsider").getString("code"));

        handle(olga, new ClientFrame.SetRole("r", "club", "mel", "moderator"));
        Instant before = t.wall.instant();
        handle(mel, new ClientFrame.Link("week", "club", RoomLinks.MAX_MINUTES));
        JsonObject week = mel.out().reply("week");
        assertEquals(before.plus(Duration.ofDays(7)).getEpochSecond(),
                Instant.parse(week.getString("expires")).getEpochSecond(), "a week, to the second");
        handle(mel, new ClientFrame.Link("past", "club", RoomLinks.MAX_MINUTES + 1));
        assertEquals("bad_request", mel.out().reply("past").getString("code"));

        handle(olga, new ClientFrame.Dm("dm", "bob"));
        String direct = olga.out().reply("dm").getString("room");
        handle(olga, new ClientFrame.Link("direct", direct, null));
        assertEquals("forbidden", olga.out().reply("direct").getString("code"), "a conversation of two");
        t.rooms.setArchived("club", true);
        handle(olga, new ClientFrame.Link("archived", "club", null));
        assertEquals("forbidden", olga.out().reply("archived").getString("code"));
    }

    @Test
    void aRoomHasAHundredLinksInForceAtMost() {
        for (int i = 0; i < ModerationStore.MAX_LINKS - 1; i++) {
            link(olga, 1);
        }
        String last = link(olga, 2);
        handle(olga, new ClientFrame.Link("past", "club", null));
        JsonObject refused = olga.out().reply("past");
        assertEquals("conflict", refused.getString("code"));
        assertEquals("club has 100 invitation links in force, as many as a room may: remove them with unlink, or"
                + " wait for some to expire", refused.getString("message"));

        t.clock.advance(Duration.ofMinutes(1));
        link(olga, null); // the 99 of a minute expired: room again
        handle(bob, new ClientFrame.Join("j", "club", null, last));
        assertEquals("joined", bob.out().reply("j").getString("type"), "the one of two minutes still stands");
    }

    /** Makes a link (frames a little apart, under the rate a connection may send at) and gives its code. */
    private String link(TestChat.Client client, Integer minutes) {
        t.clock.advance(Duration.ofMillis(50));
        String ref = "link" + System.nanoTime();
        handle(client, new ClientFrame.Link(ref, "club", minutes));
        JsonObject answer = client.out().reply(ref);
        assertEquals("link", answer.getString("type"), answer.toString());
        return answer.getString("code");
    }

    private static List<String> lines(TestChat.Client client) {
        return client.out().ofType("message").stream().filter(m -> m.getString("kind").equals("system"))
                .map(m -> m.getString("text")).toList();
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }
}
