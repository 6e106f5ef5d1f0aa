package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Limits;
import dev.parley.protocol.ClientFrame;
import dev.parley.room.RoomsPerUser;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Protected rooms, roles and bans, as the chat service decides them. */
class RoomAccessTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client owner = t.member("olga", "club");

    @Test
    void aPasswordRoomLetsInOnlyThoseWithThePassword() {
        handle(owner, new ClientFrame.SetAccess("a", "club", "password", "open sesame"));
        assertEquals("ok", lastReply(owner).getString("type"));

        TestChat.Client bob = t.hello("bob");
        handle(bob, new ClientFrame.Join("none", "club", null, null));
        assertError(bob, "none", "forbidden");
        handle(bob, new ClientFrame.Join("wrong", "club", "open sesame!", null));
        assertError(bob, "wrong", "forbidden");
        assertFalse(bob.connection().receives("club"));

        handle(bob, new ClientFrame.Join("right", "club", "open sesame", null));
        assertEquals("right", lastOf(bob, "joined").getString("ref"));
        assertTrue(bob.connection().receives("club"));
    }

    /** The password is checked before the join's transaction: the room's password must still be that one. */
    @Test
    void aPasswordChangedWhileAJoinChecksItLetsNobodyInWithTheOldOne() {
        handle(owner, new ClientFrame.SetAccess("a", "club", "password", "open sesame"));
        TestChat.Client bob = t.hello("bob");
        t.rooms.afterNextPasswordRead = () -> handle(owner, new ClientFrame.SetAccess("b", "club", "password",
                "new sesame"));
        handle(bob, new ClientFrame.Join("old", "club", "open sesame", null));
        assertError(bob, "old", "forbidden");
        assertFalse(bob.connection().receives("club"));

        handle(bob, new ClientFrame.Join("new", "club", "new sesame", null));
        assertEquals("joined", lastReply(bob).getString("type"));
    }

    @Test
    void aPasswordIsNeededToMakeAPasswordRoomAndIsNeverTooLong() {
        handle(owner, new ClientFrame.SetAccess("none", "club", "password", null));
        assertError(owner, "none", "bad_request");
        handle(owner, new ClientFrame.SetAccess("empty", "club", "password", ""));
        assertError(owner, "empty", "bad_request");
        handle(owner, new ClientFrame.SetAccess("short", "club", "password", "\uD83D\uDE00".repeat(3)));
        assertError(owner, "short", "bad_request");
        assertEquals("a room password is 4 to 1024 characters", lastReply(owner).getString("message"),
                "three characters, though six UTF-16 units");
        handle(owner, new ClientFrame.SetAccess("least", "club", "password", "\uD83D\uDE00".repeat(4)));
        assertEquals("ok", lastReply(owner).getString("type"), "4 characters is the other edge");
        handle(owner, new ClientFrame.SetAccess("edge", "club", "password", "p".repeat(1024)));
        assertEquals("ok", lastReply(owner).getString("type"), "1024 characters is the edge");
        handle(owner, new ClientFrame.SetAccess("past", "club", "password", "p".repeat(1025)));
        assertError(owner, "past", "bad_request");
        handle(owner, new ClientFrame.SetAccess("odd", "club", "secret", null));
        assertError(owner, "odd", "bad_request");
    }

    @Test
    void anInviteOnlyRoomTakesOnlyInvitedUsersWhoLearnItLive() {
        handle(owner, new ClientFrame.SetAccess("a", "club", "invite", null));
        TestChat.Client bob = t.hello("bob");
        handle(bob, new ClientFrame.Join("j", "club", null, null));
        assertError(bob, "j", "forbidden");

        handle(owner, new ClientFrame.Invite("i", "club", "bob"));
        assertEquals("ok", lastReply(owner).getString("type"));
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
        assertEquals("ok", lastReply(owner).getString("type"));
        handle(mod, new ClientFrame.Invite("i", "club", "carl"));
        assertEquals("ok", lastReply(mod).getString("type"));
        handle(mod, new ClientFrame.SetAccess("a", "club", "invite", null));
        assertError(mod, "a", "forbidden");

        handle(owner, new ClientFrame.SetRole("r2", "club", "mia", "member"));
        handle(mod, new ClientFrame.Invite("i2", "club", "dora"));
        assertError(mod, "i2", "forbidden", "a demotion takes effect at once");

        handle(owner, new ClientFrame.SetRole("r3", "club", "nobody", "moderator"));
        assertEquals(List.of("club mia moderator", "club mia member"), roleChanges(mod),
                "her own client learns of each change, refusals told nobody");
        assertEquals(roleChanges(mod), roleChanges(bob), "and so does the rest of the room");
        assertError(owner, "r3", "not_found");
        handle(owner, new ClientFrame.SetRole("r4", "club", "olga", "member"));
        assertError(owner, "r4", "bad_request");
    }

    /** The {@code role} frames a client got: "room user role" each. */
    private static List<String> roleChanges(TestChat.Client client) {
        return client.out().ofType("role").stream()
                .map(told -> told.getString("room") + " " + told.getString("user") + " " + told.getString("role"))
                .toList();
    }

    @Test
    void aBannedUserLeavesAtOnceAndCannotJoinAgainUntilUnbanned() {
        TestChat.Client eve = t.member("eve", "club");
        handle(owner, new ClientFrame.Ban("b", "club", "eve"));
        assertEquals("ok", lastReply(owner).getString("type"));
        JsonObject left = eve.out().last();
        assertEquals("left", left.getString("type"));
        assertEquals("banned", left.getString("reason"));
        assertFalse(eve.connection().receives("club"));

        handle(eve, new ClientFrame.Send("s", "club", "let me in", "e-1", null));
        assertError(eve, "s", "not_member");
        handle(eve, new ClientFrame.Join("j", "club", null, null));
        assertError(eve, "j", "banned");
        handle(owner, new ClientFrame.Invite("i", "club", "eve"));
        assertError(owner, "i", "conflict");

        handle(owner, new ClientFrame.Unban("u", "club", "eve"));
        assertEquals("ok", lastReply(owner).getString("type"));
        handle(eve, new ClientFrame.Join("j2", "club", null, null));
        assertEquals("j2", lastOf(eve, "joined").getString("ref"));
        handle(owner, new ClientFrame.Unban("u2", "club", "eve"));
        assertError(owner, "u2", "not_found");
    }

    @Test
    void aMutedMemberReadsButDoesNotSendThereUntilTheTimeIsUpOrAModeratorLiftsIt() {
        TestChat.Client bob = t.member("bob", "club");
        t.chat.handle(bob.connection(), new ClientFrame.Join("j", "elsewhere", null, null));
        handle(owner, new ClientFrame.Mute("m", "club", "bob", 5));
        assertEquals("ok", lastReply(owner).getString("type"));
        assertEquals("olga muted bob for 5 minutes", lastOf(bob, "message").getString("text"));

        handle(bob, new ClientFrame.Send("s1", "club", "hello?", "b-1", null));
        assertError(bob, "s1", "muted");
        assertEquals("you are muted in club for 300 more seconds", bob.out().last().getString("message"));
        handle(bob, new ClientFrame.Send("s2", "elsewhere", "only club is closed to me", "b-2", null));
        assertEquals("s2", lastOf(bob, "receipt").getString("ref"));
        handle(owner, new ClientFrame.Send("s3", "club", "bob still reads", "o-1", null));
        assertEquals("bob still reads", lastOf(bob, "message").getString("text"));

        t.clock.advance(Duration.ofMinutes(5));
        handle(bob, new ClientFrame.Send("s4", "club", "back", "b-3", null));
        assertEquals("s4", lastOf(bob, "receipt").getString("ref"), "the mute ended on its own");
        handle(owner, new ClientFrame.Unmute("u0", "club", "bob"));
        assertError(owner, "u0", "not_found", "a lapsed mute is no mute to lift");
        assertEquals("back", lastOf(bob, "message").getString("text"), "and the room is not told of one");

        handle(owner, new ClientFrame.Mute("m2", "club", "bob", null));
        handle(bob, new ClientFrame.Send("s5", "club", "again?", "b-4", null));
        assertError(bob, "s5", "muted");
        handle(owner, new ClientFrame.Unmute("u", "club", "bob"));
        assertEquals("olga unmuted bob", lastOf(bob, "message").getString("text"));
        handle(bob, new ClientFrame.Send("s6", "club", "free", "b-5", null));
        assertEquals("s6", lastOf(bob, "receipt").getString("ref"));
        handle(owner, new ClientFrame.Unmute("u2", "club", "bob"));
        assertError(owner, "u2", "not_found");

        handle(owner, new ClientFrame.Mute("m3", "club", "bob", Limits.MAX_MUTE_MINUTES + 1));
        assertError(owner, "m3", "bad_request");
        assertEquals("minutes must be 1 to 527040, not 527041", owner.out().last().getString("message"));
        handle(bob, new ClientFrame.Send("s7", "club", "still free", "b-6", null));
        assertEquals("s7", lastOf(bob, "receipt").getString("ref"), "a refused mute mutes nobody");
        handle(owner, new ClientFrame.Mute("m4", "club", "bob", Limits.MAX_MUTE_MINUTES));
        assertEquals("olga muted bob for 527040 minutes", lastOf(bob, "message").getString("text"));
    }

    /** The room remembers who made it: its owner away is not banned by its moderators, and comes back as owner. */
    @Test
    void anOwnerWhoLeftComesBackAsTheOwnerAndIsNotBannedMeanwhile() {
        TestChat.Client bob = t.member("bob", "club");
        handle(owner, new ClientFrame.SetRole("r", "club", "bob", "moderator"));
        handle(owner, new ClientFrame.Leave("l", "club"));
        assertEquals("left", lastReply(owner).getString("type"));

        handle(bob, new ClientFrame.Ban("b", "club", "olga"));
        assertError(bob, "b", "forbidden");
        handle(bob, new ClientFrame.Invite("i", "club", "olga"));
        assertEquals("owner", lastOf(owner, "joined").getString("role"), "invited back, as what she is");
        handle(owner, new ClientFrame.Leave("l2", "club"));
        handle(owner, new ClientFrame.Join("j", "club", null, null));
        assertEquals("owner", lastOf(owner, "joined").getString("role"), "joined again, too");
        handle(owner, new ClientFrame.SetAccess("a", "club", "invite", null));
        assertEquals("ok", lastReply(owner).getString("type"), "and runs the room again");
        handle(bob, new ClientFrame.Kick("k", "club", "olga"));
        assertError(bob, "k", "forbidden");
    }

    /** Moderation in an archived room is done and answered once: the room takes no line telling it. */
    @Test
    void aKickAndABanInAnArchivedRoomAreAnsweredOnceAsDone() {
        TestChat.Client bob = t.member("bob", "club");
        t.member("eve", "club");
        t.rooms.setArchived("club", true);
        handle(owner, new ClientFrame.Kick("k", "club", "bob"));
        handle(owner, new ClientFrame.Ban("b", "club", "eve"));

        assertEquals(List.of("ok", "ok"), owner.out().json().stream().filter(f -> f.containsKey("ref"))
                .filter(f -> List.of("k", "b").contains(f.getString("ref"))).map(f -> f.getString("type")).toList());
        assertEquals("kicked", lastOf(bob, "left").getString("reason"));
        assertEquals(List.of("olga"), t.rooms.members("club").stream().map(m -> m.user()).toList());
    }

    /** The hello reads the user's rooms, then subscribes to them: a kick in between still takes the room. */
    @Test
    void aKickBetweenAHellosReadOfItsRoomsAndItsSubscriptionStillTakesTheRoom() {
        t.member("bob", "club");
        t.rooms.afterNextRoomsRead = () -> handle(owner, new ClientFrame.Kick("k", "club", "bob"));
        TestChat.Client tablet = t.hello("bob");
        assertFalse(tablet.connection().receives("club"));
        List<String> types = tablet.out().json().stream().map(f -> f.getString("type")).toList();
        JsonObject welcome = tablet.out().ofType("welcome").get(0);
        assertEquals(List.of("club"), welcome.getJsonArray("rooms").stream()
                .map(r -> r.asJsonObject().getString("room")).toList(), "the welcome listed it");
        assertTrue(types.lastIndexOf("left") > types.indexOf("welcome"), "left follows the welcome: " + types);
        handle(owner, new ClientFrame.Send("s", "club", "not for bob", "o-1", null));
        assertTrue(tablet.out().ofType("message").stream().noneMatch(m -> m.getString("text").equals("not for bob")));
        handle(tablet, new ClientFrame.Send("b", "club", "still here?", "b-1", null));
        assertError(tablet, "b", "not_member");
    }

    /**
     * A join on another device between a hello's read of its rooms and its welcome: the notice comes after the
     * welcome, whose list of rooms would otherwise take the room off the client's list again, and the room's
     * messages after the notice (a client acks, unread, a message of a room it does not list).
     */
    @Test
    void aJoinOnAnotherDeviceWhileTheHelloIsAnsweredIsToldAfterTheWelcomeAndBeforeTheRoomsMessages() {
        TestChat.Client phone = t.hello("bob");
        t.rooms.afterNextRoomsRead = () -> {
            handle(phone, new ClientFrame.Join("j", "club", null, null));
            handle(owner, new ClientFrame.Send("s", "club", "welcome, bob", "o-1", null));
        };
        TestChat.Client tablet = t.hello("bob");
        List<String> types = tablet.out().json().stream().map(f -> f.getString("type")).toList();
        assertEquals(List.of(), tablet.out().ofType("welcome").get(0).getJsonArray("rooms"), "read before the join");
        assertTrue(types.indexOf("joined") > types.indexOf("welcome"), "joined follows the welcome: " + types);
        assertTrue(types.indexOf("message") > types.indexOf("joined"), "the room's message follows: " + types);
        assertEquals("club", tablet.out().ofType("joined").get(0).getString("room"));
        assertEquals("welcome, bob", tablet.out().ofType("message").get(0).getString("text"));
        assertTrue(tablet.connection().receives("club"));
    }

    /** A member's own join racing a ban: the ban still takes the room from every connection of theirs. */
    @Test
    void aBanLandingWhileTheMembersOwnJoinIsAnsweredStillTakesTheRoom() {
        TestChat.Client eve = t.member("eve", "club");
        TestChat.Client evesTablet = t.hello("eve");
        t.rooms.afterNextJoin = () -> handle(owner, new ClientFrame.Ban("b", "club", "eve"));
        handle(eve, new ClientFrame.Join("j", "club", null, null));
        assertError(eve, "j", "forbidden");
        assertFalse(eve.connection().receives("club"));
        assertFalse(evesTablet.connection().receives("club"));
        handle(eve, new ClientFrame.Send("s", "club", "still here?", "e-1", null));
        assertError(eve, "s", "not_member");
    }

    /** A newcomer banned while the join is answered never came online there: the room hears nothing of them. */
    @Test
    void aNewcomerBannedWhileTheJoinIsAnsweredIsNeverShownOnlineOrOffline() {
        TestChat.Client bob = t.hello("bob");
        t.rooms.afterNextJoin = () -> handle(owner, new ClientFrame.Ban("b", "club", "bob"));
        handle(bob, new ClientFrame.Join("j", "club", null, null));
        assertError(bob, "j", "forbidden");
        assertEquals(List.of(), owner.out().ofType("presence").stream()
                .filter(p -> p.getString("user").equals("bob")).toList());
        assertEquals(List.of("olga"), t.live.online("club"));
    }

    /** Lifting a mute takes the rank that imposing it takes: a muted moderator does not unmute themselves. */
    @Test
    void aMuteIsLiftedOnlyByARankAboveTheMuted() {
        TestChat.Client mia = moderator("mia");
        TestChat.Client max = moderator("max");
        handle(owner, new ClientFrame.Mute("m", "club", "mia", null));
        handle(mia, new ClientFrame.Unmute("self", "club", "mia"));
        assertError(mia, "self", "forbidden");
        handle(max, new ClientFrame.Unmute("peer", "club", "mia"));
        assertError(max, "peer", "forbidden");
        handle(mia, new ClientFrame.Send("s", "club", "still muted?", "m-1", null));
        assertError(mia, "s", "muted");
        handle(owner, new ClientFrame.Unmute("u", "club", "mia"));
        assertEquals("ok", lastReply(owner).getString("type"));
    }

    /** A ban is lifted by whoever imposed it or a rank above them: a moderator does not undo the owner's. */
    @Test
    void aBanIsLiftedOnlyByItsAuthorOrARankAbove() {
        TestChat.Client mia = moderator("mia");
        TestChat.Client max = moderator("max");
        t.member("bob", "club");
        t.member("cy", "club");
        handle(owner, new ClientFrame.Ban("b1", "club", "bob"));
        handle(mia, new ClientFrame.Unban("u1", "club", "bob"));
        assertError(mia, "u1", "forbidden");
        handle(max, new ClientFrame.Ban("b2", "club", "cy"));
        handle(mia, new ClientFrame.Unban("u2", "club", "cy"));
        assertError(mia, "u2", "forbidden");

        handle(max, new ClientFrame.Unban("u3", "club", "cy"));
        assertEquals("ok", lastReply(max).getString("type"), "its author");
        handle(owner, new ClientFrame.Unban("u4", "club", "bob"));
        assertEquals("ok", lastReply(owner).getString("type"), "a rank above");
    }

    /** An archived room takes no new members, by invitation either. */
    @Test
    void anArchivedRoomTakesNoInvitations() {
        TestChat.Client bob = t.hello("bob");
        t.rooms.setArchived("club", true);
        handle(owner, new ClientFrame.Invite("i", "club", "bob"));
        assertError(owner, "i", "forbidden");
        assertFalse(bob.connection().receives("club"));
        assertTrue(t.rooms.roomsOf("bob").isEmpty());
    }

    @Test
    void aKickedMemberLeavesTheRoomAndMayJoinAgain() {
        TestChat.Client bob = t.member("bob", "club");
        TestChat.Client cy = t.member("cy", "club");
        handle(owner, new ClientFrame.Kick("k", "club", "bob"));
        assertEquals("ok", lastReply(owner).getString("type"));
        JsonObject left = lastOf(bob, "left");
        assertEquals("kicked", left.getString("reason"));
        assertFalse(bob.connection().receives("club"));
        assertEquals("olga removed bob from the room", lastOf(cy, "message").getString("text"));

        handle(owner, new ClientFrame.Kick("k2", "club", "bob"));
        assertError(owner, "k2", "not_found");
        handle(bob, new ClientFrame.Join("j", "club", null, null));
        assertEquals("j", lastOf(bob, "joined").getString("ref"), "a kick is no ban");
        handle(cy, new ClientFrame.Kick("k3", "club", "bob"));
        assertError(cy, "k3", "forbidden");
        handle(owner, new ClientFrame.Mute("m", "club", "stranger", 5));
        assertError(owner, "m", "not_found");
        handle(owner, new ClientFrame.Mute("m2", "club", "olga", 5));
        assertError(owner, "m2", "forbidden");
    }

    @Test
    void membersSeeEveryMemberWithRoleAndPresence() {
        TestChat.Client bob = t.member("bob", "club");
        TestChat.Client cy = t.member("cy", "club");
        handle(owner, new ClientFrame.SetRole("r", "club", "bob", "moderator"));
        t.chat.closed(cy.connection(), 1000);
        handle(bob, new ClientFrame.Members("m", "club"));
        JsonObject members = lastOf(bob, "members");
        assertEquals(List.of("bob moderator true", "cy member false", "olga owner true"),
                members.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                        .map(m -> m.getString("user") + " " + m.getString("role") + " " + m.getBoolean("online"))
                        .toList());
        TestChat.Client eve = t.hello("eve");
        handle(eve, new ClientFrame.Members("m2", "club"));
        assertError(eve, "m2", "not_member");
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
        assertEquals("ok", lastReply(mia).getString("type"), "a user who is not a member can be kept out");
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

    @Test
    void aUserIsInAtMostTheCapOfRoomsWhoeverAddsThem() {
        t.rooms.roomsPerUser = new RoomsPerUser(3);
        TestChat.Client bob = t.member("bob", "club");
        handle(bob, new ClientFrame.Join("j2", "second", null, null));
        handle(bob, new ClientFrame.Join("j3", "third", null, null));
        assertEquals("joined", lastReply(bob).getString("type"), "the third room is the edge");

        handle(bob, new ClientFrame.Join("j4", "fourth", null, null));
        assertError(bob, "j4", "forbidden", "a room made past the cap");
        assertEquals("you are in 3 rooms, as many as one may be: leave one first", bob.out().last()
                .getString("message"));
        handle(owner, new ClientFrame.Join("j", "fourth", null, null));
        handle(bob, new ClientFrame.Join("j5", "fourth", null, null));
        assertError(bob, "j5", "forbidden", "a room that exists, past the cap");
        handle(bob, new ClientFrame.Join("again", "club", null, null));
        assertEquals("joined", lastReply(bob).getString("type"), "a room one is in is joined again at the cap");

        handle(owner, new ClientFrame.Invite("i", "fourth", "bob"));
        assertError(owner, "i", "conflict", "an invite past the cap");
        assertEquals("bob is in 3 rooms, as many as one may be", owner.out().last().getString("message"));
        handle(owner, new ClientFrame.Dm("d", "bob"));
        assertError(owner, "d", "conflict", "a direct conversation with a user at the cap");
        handle(bob, new ClientFrame.Dm("d", "olga"));
        assertError(bob, "d", "forbidden", "a direct conversation of one's own past the cap");
        assertFalse(bob.connection().receives("fourth"));
        assertEquals(3, t.rooms.roomsOf("bob").size());
        assertEquals(2, t.rooms.roomsOf("olga").size(), "nothing was made for the refused conversation");

        handle(bob, new ClientFrame.Leave("l", "third"));
        handle(owner, new ClientFrame.Invite("i2", "fourth", "bob"));
        assertEquals("ok", lastReply(owner).getString("type"), "a room left makes room for one more");
        assertTrue(bob.connection().receives("fourth"));
    }

    @Test
    void anAddressCreatesItsCapOfRoomsAMinuteAndJoinsRoomsThatExistStill() {
        TestChat capped = new TestChat(Limits.DEFAULTS, Runnable::run, 3);
        TestChat.Client ann = capped.helloFrom("ann", "2001:db8::1");
        TestChat.Client bob = capped.helloFrom("bob", "2001:db8::2");
        capped.chat.handle(ann.connection(), new ClientFrame.Join("j1", "first", null, null));
        capped.chat.handle(ann.connection(), new ClientFrame.Join("j2", "second", null, null));
        capped.chat.handle(bob.connection(), new ClientFrame.Join("j3", "third", null, null));
        assertEquals("joined", lastReply(bob).getString("type"), "the third room of the /64 network is the edge");

        capped.chat.handle(bob.connection(), new ClientFrame.Join("j4", "fourth", null, null));
        assertError(bob, "j4", "rate_limited", "a fourth new room within a minute");
        assertEquals("more than 3 new rooms from your address in a minute: try again later",
                bob.out().last().getString("message"));
        assertTrue(capped.rooms.summary("fourth").isEmpty(), "not made");
        capped.chat.handle(bob.connection(), new ClientFrame.Join("j5", "first", null, null));
        assertEquals("joined", lastReply(bob).getString("type"), "a room that exists is joined as ever");
        TestChat.Client carol = capped.helloFrom("carol", "10.0.0.1");
        capped.chat.handle(carol.connection(), new ClientFrame.Join("j6", "fourth", null, null));
        assertEquals("joined", lastReply(carol).getString("type"), "another address makes its own");

        capped.clock.advance(Duration.ofSeconds(59));
        capped.chat.handle(ann.connection(), new ClientFrame.Join("j7", "fifth", null, null));
        assertError(ann, "j7", "rate_limited", "the minute is not over");
        capped.clock.advance(Duration.ofSeconds(1));
        capped.chat.handle(ann.connection(), new ClientFrame.Join("j8", "fifth", null, null));
        assertEquals("joined", lastReply(ann).getString("type"), "a minute after the first");
    }

    /** The owner away from the room is its owner still: a moderator neither deletes their words nor lifts bans. */
    @Test
    void aModeratorDoesNotUndoWhatTheAbsentOwnerDid() {
        TestChat.Client mia = moderator("mia");
        t.member("eve", "club");
        handle(owner, new ClientFrame.Send("s", "club", "the owner's", "o-1", null));
        long seq = lastOf(owner, "receipt").getJsonNumber("seq").longValue();
        handle(owner, new ClientFrame.Ban("b", "club", "eve"));
        handle(owner, new ClientFrame.Leave("l", "club"));
        assertEquals("left", lastReply(owner).getString("type"));

        handle(mia, new ClientFrame.Delete("d", "club", seq));
        assertError(mia, "d", "forbidden");
        handle(mia, new ClientFrame.Unban("u", "club", "eve"));
        assertError(mia, "u", "forbidden");
    }

    /** A member of the club whom its owner made a moderator. */
    private TestChat.Client moderator(String user) {
        TestChat.Client client = t.member(user, "club");
        handle(owner, new ClientFrame.SetRole("r-" + user, "club", user, "moderator"));
        assertEquals("ok", lastReply(owner).getString("type"));
        return client;
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }

    /** The last direct reply (it carries a ref): system lines about the action may follow it. */
    private static JsonObject lastReply(TestChat.Client client) {
        return client.out().json().stream().filter(f -> f.containsKey("ref")).reduce((a, b) -> b).orElseThrow();
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
