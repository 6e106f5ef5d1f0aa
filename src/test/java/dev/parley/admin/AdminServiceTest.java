package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.ConnectionInfo;
import dev.parley.cluster.NodeEvent;
import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.room.LiveRooms;
import dev.parley.security.AccountService;
import dev.parley.security.AddressCap;
import dev.parley.security.PasswordHasher;
import dev.parley.security.Sanction;
import dev.parley.testing.InMemoryAccountStore;
import dev.parley.testing.InMemoryAuditLog;
import dev.parley.testing.InMemoryLimitStore;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminServiceTest {

    private final TestChat t = new TestChat();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final InMemoryAccountStore store = new InMemoryAccountStore();
    private final AccountService accounts = new AccountService(store, new PasswordHasher(1_000), t.tokens, true,
            new AddressCap(1_000, t.clock), "admin", t.bus);
    private final InMemoryLimitStore changedLimits = new InMemoryLimitStore();
    private final AdminService admin = new AdminService(t.rooms, t.messages, t.live, t.bus, t.chat, t.sanctions,
            accounts, audit, new OperatorLimits(changedLimits, Limits.DEFAULTS, t.chat, t.bus), t.wall, "node-1");

    /**
     * A connection's opening, timed on the steady clock, is listed as a time of day, beside other nodes'
     * connections: a step of the wall clock since (NTP, a virtual machine resumed) moves it with the wall.
     */
    @Test
    void aConnectionIsListedSinceItsTimeOfDay() {
        t.hello("ann");
        Instant opened = t.wall.instant();
        t.clock.advance(Duration.ofMinutes(5));
        t.wall.step(Duration.ofHours(1));
        assertEquals(List.of(opened.plus(Duration.ofHours(1))),
                admin.connections().stream().map(ConnectionInfo::since).toList());
    }

    @Test
    void roomsShowMembersWhoIsOnlineAndWhatIsStored() {
        TestChat.Client ann = t.member("ann", "lobby");
        t.member("bob", "lobby");
        send(ann, "lobby", "hello", "c-1");
        assertEquals(List.of(new AdminService.RoomInfo("lobby", 1, "ann", "public", 2, 2, 1, false, null)),
                admin.rooms());
        assertEquals(List.of("ann", "bob"), admin.connections().stream().map(ConnectionInfo::user)
                .sorted().toList());
        assertEquals("node-1", admin.connections().get(0).node());
        assertEquals(List.of(new AdminService.MemberInfo("ann", "owner", true),
                new AdminService.MemberInfo("bob", "member", true)), admin.room("lobby").members());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class, () -> admin.room("nowhere")).code());
    }

    @Test
    void aMemberRemovedFromARoomIsToldSoTheRoomSeesASystemLineAndTheyMayJoinAgain() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        admin.removeFromRoom("lobby", "bob", "root");

        JsonObject left = bob.out().ofType("left").get(0);
        assertEquals("kicked", left.getString("reason"));
        assertEquals("bob was removed from the room by an administrator",
                ann.out().ofType("message").get(0).getString("text"));
        send(bob, "lobby", "still here?", "c-1");
        assertEquals("not_member", bob.out().last().getString("code"));
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.removeFromRoom("lobby", "bob", "root")).code());

        t.chat.handle(bob.connection(), new ClientFrame.Join("j2", "lobby", null, null));
        assertEquals(2, bob.out().ofType("joined").size(), "no ban: they may come back");
        assertEquals("remove-member", audit.recent(1).get(0).action());
        assertEquals("root", audit.recent(1).get(0).by());
    }

    @Test
    void aMutedUserReadsButCannotSendUntilTheTimeIsUpOrTheMuteIsLifted() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        registered("bob");
        admin.mute("bob", 5, "root");

        send(bob, "lobby", "let me talk", "c-1");
        JsonObject refused = bob.out().last();
        assertEquals("muted", refused.getString("code"));
        assertEquals("you are muted for 300 more seconds", refused.getString("message"));
        send(ann, "lobby", "bob still reads", "c-2");
        assertEquals("bob still reads", bob.out().ofType("message").get(0).getString("text"));

        t.clock.advance(Duration.ofMinutes(5));
        send(bob, "lobby", "back", "c-3");
        assertEquals(1, bob.out().ofType("receipt").size(), "a mute ends on its own");
        assertEquals(List.of(), admin.sanctions(), "and is no longer listed");
        int audited = audit.recent(100).size();
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.lift("bob", Sanction.Kind.MUTE, "root")).code(), "a lapsed mute is not lifted");
        assertEquals(audited, audit.recent(100).size(), "nor audited as lifted");

        admin.mute("bob", null, "root");
        send(bob, "lobby", "again", "c-4");
        assertEquals("you are muted until an admin lifts it", bob.out().last().getString("message"));
        assertEquals(List.of("bob mute"), admin.sanctions().stream().map(s -> s.user() + " " + s.kind().wire())
                .toList());
        admin.lift("bob", Sanction.Kind.MUTE, "root");
        send(bob, "lobby", "free", "c-5");
        assertEquals(2, bob.out().ofType("receipt").size());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.lift("bob", Sanction.Kind.MUTE, "root")).code());

        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.mute("bob", 0, "root")).code());
        assertEquals(t.wall.instant().plus(Duration.ofMinutes(1)), admin.mute("bob", 1, "root").until());
        admin.mute("bob", Limits.MAX_MUTE_MINUTES, "root");
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.mute("bob", Limits.MAX_MUTE_MINUTES + 1, "root")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.mute("not a name", 5, "root")).code());
    }

    @Test
    void aBanClosesTheUsersConnectionsWith4504AndRefusesTheirHelloUntilLifted() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        TestChat.Client phone = t.hello("bob");
        registered("bob");
        admin.ban("bob", "root");

        assertEquals(CloseCodes.BANNED, bob.out().closeCode);
        assertEquals(CloseCodes.BANNED, phone.out().closeCode);
        assertNull(ann.out().closeCode);
        assertEquals(CloseCodes.BANNED, t.hello("bob").out().closeCode, "a new connection is refused too");

        admin.lift("bob", Sanction.Kind.BAN, "root");
        TestChat.Client again = t.hello("bob");
        assertNull(again.out().closeCode);
        assertEquals("bob", again.out().ofType("welcome").get(0).getString("user"));
        assertEquals(List.of("lift-ban", "ban"), audit.recent(2).stream().map(AuditEntry::action).toList());
    }

    /** An archived room takes no line: the removal is done all the same, answered as done and audited. */
    @Test
    void aMemberRemovedFromAnArchivedRoomIsRemovedAndAudited() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        admin.archive("lobby", "root");
        admin.removeFromRoom("lobby", "bob", "root");

        assertEquals("kicked", bob.out().ofType("left").get(0).getString("reason"));
        assertEquals(List.of("This room was archived by an administrator: it is read-only now."),
                ann.out().ofType("message").stream().map(m -> m.getString("text")).toList(), "no line after it");
        assertEquals("remove-member", audit.recent(1).get(0).action());
        assertEquals(List.of(new AdminService.MemberInfo("ann", "owner", true)), admin.room("lobby").members());
    }

    @Test
    void anArchivedRoomIsReadOnlyAndClosedToNewMembersUntilReopened() {
        TestChat.Client ann = t.member("ann", "lobby");
        send(ann, "lobby", "before", "c-1");
        AdminService.RoomInfo archived = admin.archive("lobby", "root");
        assertTrue(archived.archived());
        assertEquals("This room was archived by an administrator: it is read-only now.",
                ann.out().ofType("message").get(1).getString("text"));
        assertEquals(List.of("message", "archived"), lastTypes(ann, 2), "the line, then the room's state");
        assertTrue(ann.out().last().getBoolean("archived"));

        send(ann, "lobby", "after", "c-2");
        assertEquals("forbidden", ann.out().last().getString("code"));
        TestChat.Client bob = t.hello("bob");
        t.chat.handle(bob.connection(), new ClientFrame.Join("j", "lobby", null, null));
        assertEquals("forbidden", bob.out().last().getString("code"));
        t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", null, null));
        assertEquals(2, ann.out().last().getJsonArray("items").size(), "members still read it");
        assertEquals(ErrorCode.CONFLICT, assertThrows(ChatException.class,
                () -> admin.archive("lobby", "root")).code());

        admin.reopen("lobby", "root");
        assertEquals(List.of("message", "archived"), lastTypes(ann, 2));
        assertEquals("This room was reopened by an administrator.",
                ann.out().ofType("message").get(2).getString("text"));
        assertFalse(ann.out().last().getBoolean("archived"), "open pages offer the box again");
        send(ann, "lobby", "after", "c-3");
        assertEquals(2, ann.out().ofType("receipt").size());
        assertEquals(ErrorCode.CONFLICT, assertThrows(ChatException.class,
                () -> admin.reopen("lobby", "root")).code());
    }

    @Test
    void aNoticeToAllGoesToEveryOpenRoom() {
        TestChat.Client ann = t.member("ann", "lobby");
        t.chat.handle(ann.connection(), new ClientFrame.Join("j", "kitchen", null, null));
        t.chat.handle(ann.connection(), new ClientFrame.Join("j", "attic", null, null));
        admin.archive("attic", "root");
        ann.out().clear();

        assertEquals(2, admin.noticeToAll("restart at noon", "root"));
        assertEquals(List.of("kitchen", "lobby"), ann.out().ofType("message").stream()
                .filter(m -> m.getString("text").equals("restart at noon")).map(m -> m.getString("room")).sorted()
                .toList());
    }

    @Test
    void aDeletedMessageLosesItsTextAndTheRoomGetsADeletionEventWithItsOwnSeq() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        send(bob, "lobby", "something regrettable", "c-1");
        send(bob, "lobby", "something fine", "c-2");

        admin.deleteMessage("lobby", 1, "root");
        JsonObject event = ann.out().ofType("message").get(2);
        assertEquals("deleted", event.getString("kind"));
        assertEquals(3, event.getInt("seq"));
        assertEquals(1, event.getInt("target"));
        assertEquals("root", event.getString("from"));

        t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", null, null));
        List<JsonObject> items = ann.out().last().getJsonArray("items").getValuesAs(JsonObject.class);
        assertEquals("", items.get(0).getString("text"), "the text is gone from storage");
        assertTrue(items.get(0).getBoolean("deleted"));
        assertEquals("something fine", items.get(1).getString("text"));
        assertFalse(items.get(1).containsKey("deleted"));

        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.deleteMessage("lobby", 1, "root")).code(), "deleted already");
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.deleteMessage("lobby", 3, "root")).code(), "an event is not a message");
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.deleteMessage("lobby", 99, "root")).code());
    }

    /** A topic that should not be there is cleared by an administrator, archived room or not; the room is told. */
    @Test
    void anAdministratorClearsATopicAndTheRoomIsTold() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        t.chat.handle(ann.connection(), new ClientFrame.Topic("t", "lobby", "something regrettable"));
        assertEquals("something regrettable", admin.room("lobby").topic());
        admin.archive("lobby", "root");

        StoredMessage event = admin.clearTopic("lobby", "root");
        JsonObject told = bob.out().ofType("message").get(2);
        assertEquals(List.of("topic", "root", "", event.seq()), List.of(told.getString("kind"), told.getString("from"),
                told.getString("text"), told.getJsonNumber("seq").longValue()));
        assertNull(admin.room("lobby").topic());
        assertNull(admin.rooms().get(0).topic());
        assertEquals("root clear-topic lobby (event seq 3)", audit.recent(1).stream().map(a -> a.by() + " "
                + a.action() + " " + a.target() + " (" + a.detail() + ")").findFirst().orElseThrow());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.clearTopic("nowhere", "root")).code());
    }

    /** An administrator ends a room's invitation links: the room is told, once. */
    @Test
    void anAdministratorEndsARoomsLinksAndTheRoomIsTold() {
        TestChat.Client ann = t.member("ann", "lobby");
        t.chat.handle(ann.connection(), new ClientFrame.Link("l1", "lobby", null));
        t.chat.handle(ann.connection(), new ClientFrame.Link("l2", "lobby", null));
        String code = ann.out().reply("l1").getString("code");

        assertEquals(2, admin.removeLinks("lobby", "root"));
        assertEquals("root removed the room's invitation links", ann.out().ofType("message").stream()
                .map(m -> m.getString("text")).reduce((a, b) -> b).orElseThrow());
        TestChat.Client eve = t.hello("eve");
        t.chat.handle(eve.connection(), new ClientFrame.Join("j", "lobby", null, code));
        assertEquals("forbidden", eve.out().reply("j").getString("code"));
        assertEquals("root remove-links lobby (2 links)", audit.recent(1).stream().map(a -> a.by() + " "
                + a.action() + " " + a.target() + " (" + a.detail() + ")").findFirst().orElseThrow());
        t.chat.handle(ann.connection(), new ClientFrame.Link("l3", "lobby", 1));
        t.clock.advance(Duration.ofMinutes(1));
        int lines = ann.out().ofType("message").size();
        assertEquals(0, admin.removeLinks("lobby", "root"), "the link of a minute expired: none in force");
        assertEquals(lines, ann.out().ofType("message").size(), "none left: nothing told");
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.removeLinks("nowhere", "root")).code());
    }

    /**
     * A room whose owner left it (or whose account was deleted) has nobody to run it: an administrator gives it
     * to a member, and the room is told. The owner who left is no moderator; back, they are a member.
     */
    @Test
    void anAdministratorGivesARoomWhoseOwnerLeftToAMember() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        t.chat.handle(ann.connection(), new ClientFrame.Leave("l", "lobby"));

        assertEquals("bob", admin.handOver("lobby", "bob", "root").owner());
        assertEquals(List.of("bob owner"), bob.out().ofType("role").stream()
                .map(role -> role.getString("user") + " " + role.getString("role")).toList(), "none for ann, gone");
        assertEquals("root handed the room to bob", bob.out().ofType("message").stream()
                .map(m -> m.getString("text")).reduce((a, b) -> b).orElseThrow());
        assertEquals("root hand-over lobby (to bob)", audit.recent(1).stream().map(a -> a.by() + " "
                + a.action() + " " + a.target() + " (" + a.detail() + ")").findFirst().orElseThrow());
        t.chat.handle(ann.connection(), new ClientFrame.Join("j", "lobby", null, null));
        assertEquals("member", ann.out().reply("j").getString("role"));

        assertEquals(ErrorCode.CONFLICT, assertThrows(ChatException.class,
                () -> admin.handOver("lobby", "bob", "root")).code(), "bob's already");
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.handOver("lobby", "zed", "root")).code(), "not a member");
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.handOver("nowhere", "bob", "root")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.handOver("lobby", null, "root")).code());
        t.chat.handle(bob.connection(), new ClientFrame.Dm("dm", "ann"));
        String direct = bob.out().reply("dm").getString("room");
        ChatException nobodys = assertThrows(ChatException.class, () -> admin.handOver(direct, "ann", "root"));
        assertEquals(List.of(ErrorCode.CONFLICT, direct + " is a direct conversation, which nobody owns"),
                List.of(nobodys.code(), nobodys.getMessage()));
    }

    /** ann in the lobby with a purge batch and 5 more of her messages, 3 days old. */
    private TestChat.Client annWithOldMessages() {
        TestChat.Client ann = t.member("ann", "lobby");
        for (int i = 0; i < AdminService.PURGE_BATCH + 5; i++) {
            t.clock.advance(Duration.ofMillis(100)); // within the frame rate
            send(ann, "lobby", "old " + i, "old-" + i);
        }
        t.clock.advance(Duration.ofDays(3));
        return ann;
    }

    /** Another purge took part of a batch: this one goes on to the end all the same. */
    @Test
    void aPurgeBesideAnotherGoesOnUntilNothingIsLeft() {
        TestChat.Client ann = annWithOldMessages();
        boolean[] raced = {false};
        MessageStore beside = (MessageStore) Proxy.newProxyInstance(MessageStore.class.getClassLoader(),
                new Class<?>[] {MessageStore.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("purge") && !raced[0]) {
                        raced[0] = true;
                        Instant before = (Instant) arguments[0];
                        int theirs = t.messages.purge(before, 400); // the other purge removes some of the batch's rows
                        return t.messages.purge(before, (int) arguments[1] - theirs);
                    }
                    return method.invoke(t.messages, arguments);
                });
        AdminService racing = new AdminService(t.rooms, beside, t.live, t.bus, t.chat, t.sanctions, accounts, audit,
                new OperatorLimits(changedLimits, Limits.DEFAULTS, t.chat, t.bus), t.wall, "node-1");

        assertEquals(AdminService.PURGE_BATCH + 5 - 400, racing.purge(2, "root"));
        t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", null, null));
        assertEquals(List.of(), ann.out().last().getJsonArray("items"), "nothing older is left");
    }

    @Test
    void aPurgeRemovesWhatIsOlderThanTheDaysGivenAndNothingNewer() {
        TestChat.Client ann = annWithOldMessages();
        send(ann, "lobby", "new", "new");

        assertEquals(0, admin.purge(4, "root"));
        assertEquals(AdminService.PURGE_BATCH + 5, admin.purge(2, "root"), "in batches, to the end");
        t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", null, null));
        List<JsonObject> items = ann.out().last().getJsonArray("items").getValuesAs(JsonObject.class);
        assertEquals(List.of("new"), items.stream().map(m -> m.getString("text")).toList());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class, () -> admin.purge(0, "root")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.purge(AdminService.MAX_PURGE_DAYS + 1, "root")).code());
        assertEquals("1005 removed", audit.recent(1).get(0).detail());
        assertEquals(0, admin.purge(AdminService.MAX_PURGE_DAYS, "root"));

        admin.purge(1, AdminService.RETENTION);
        assertEquals("root", audit.recent(1).get(0).by(), "a retention run with nothing to do leaves no entry");
    }

    @Test
    void aBannedAdminIsBannedForTheAdminApiToo() {
        assertFalse(admin.isBanned("root2"));
        registered("root2");
        admin.ban("root2", "root");
        assertTrue(admin.isBanned("root2"));
        admin.lift("root2", Sanction.Kind.BAN, "root");
        assertFalse(admin.isBanned("root2"));
    }

    /** A name of nobody's (a wrong case) would leave the one meant free, and hold whoever registers it later. */
    @Test
    void aSanctionIsForSomebody() {
        registered("bob");
        assertEquals("Bob has no account", assertThrows(ChatException.class, () -> admin.ban("Bob", "root"))
                .getMessage());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class, () -> admin.mute("Bob", 5, "root")).code());
        assertFalse(admin.isBanned("Bob"));
        admin.mute("guest-eve", 5, "root"); // a guest's name is anybody's: held for whoever takes it
        registered("root2");
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class, () -> admin.ban("root2", "root2")).code(),
                "an administrator who banned themselves could not lift it");
    }

    @Test
    void accountsAreFoundByTheStartOfTheirNameInAnyCaseAPageAtATime() {
        registered("bob");
        registered("bobcat");
        registered("BOBBY");
        registered("carol");
        admin.deleteAccount("bobcat", "root");

        List<AccountService.Listing> first = admin.accounts("Bob", null, 2);
        assertEquals(List.of("BOBBY", "bob"), first.stream().map(AccountService.Listing::user).toList());
        assertEquals(List.of(new AccountService.Listing("bobcat", false, InMemoryAccountStore.CREATED, true)),
                admin.accounts("Bob", "bob", 2), "the next page: the deleted account keeps its name");
        assertEquals(4, admin.accounts("", null, AccountService.MAX_LISTED).size(), "an empty prefix: every one");
        for (String prefix : List.of("b%", "bob cat", "b".repeat(33))) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                    () -> admin.accounts(prefix, null, 10)).code(), prefix);
        }
        assertEquals(List.of(), admin.accounts("b".repeat(32), null, 1), "32 characters, a whole name's: taken");
        assertEquals(List.of("BOBBY"), admin.accounts("bob", null, 1).stream().map(AccountService.Listing::user)
                .toList(), "a limit of 1");
        for (int limit : new int[] {0, AccountService.MAX_LISTED + 1}) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                    () -> admin.accounts("b", null, limit)).code(), "limit " + limit);
        }
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.accounts("b", "not a name", 10)).code());
    }

    private void registered(String user) {
        assertEquals(AccountService.Registration.CREATED, accounts.register(user, "long enough password"));
    }

    @Test
    void theAuditTrailIsReadUpToItsPageLimit() {
        t.member("ann", "lobby");
        for (int i = 0; i < AdminService.MAX_AUDIT_ENTRIES + 1; i++) {
            admin.notice("lobby", "notice " + i, "root");
        }
        assertEquals(1, admin.audit(1).size());
        assertEquals(AdminService.MAX_AUDIT_ENTRIES, admin.audit(AdminService.MAX_AUDIT_ENTRIES).size());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.audit(AdminService.MAX_AUDIT_ENTRIES + 1)).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class, () -> admin.audit(0)).code());
    }

    private void send(TestChat.Client client, String room, String text, String clientMsgId) {
        t.chat.handle(client.connection(), new ClientFrame.Send("s", room, text, clientMsgId, null));
    }

    @Test
    void aKickClosesEveryConnectionOfTheUserWith4503AndTheRoomSeesThemGo() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client phone = t.hello("bob");
        TestChat.Client laptop = t.member("bob", "lobby");
        assertEquals(2, admin.kick("bob", "admin"));
        assertEquals(CloseCodes.KICKED, phone.out().closeCode);
        assertEquals(CloseCodes.KICKED, laptop.out().closeCode);
        JsonObject offline = ann.out().last();
        assertEquals("bob", offline.getString("user"));
        assertFalse(offline.getBoolean("online"));
        assertEquals(0, admin.kick("nobody", "admin"));
    }

    /** For a user who forgot their password: the new one works, the old one and its connections do not. */
    @Test
    void aPasswordResetSignsTheUserOutEverywhere() {
        accounts.register("bob", "forgotten one");
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client phone = t.member("bob", "lobby");

        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.resetPassword("bob", "7 chars", "root")).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.resetPassword("carol", "a new password", "root")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.resetPassword("bob\nadmin", "a new password", "root")).code());
        assertNull(phone.out().closeCode, "nothing was reset");

        admin.resetPassword("bob", "a new password", "root");
        assertEquals(CloseCodes.BAD_TOKEN, phone.out().closeCode);
        assertNull(ann.out().closeCode);
        assertTrue(accounts.login("bob", "forgotten one").isEmpty());
        assertEquals(1, accounts.login("bob", "a new password").orElseThrow().identity().generation());
        AuditEntry entry = audit.recent(1).get(0);
        assertEquals(List.of("root", "reset-password", "bob"), List.of(entry.by(), entry.action(), entry.target()));
        assertFalse(String.valueOf(entry.detail()).contains("a new password"), "never the password");
    }

    /**
     * For a user who asked to go and cannot sign in: as their own deletion, their connections close, their
     * memberships end and nobody signs in with the account again. The first admin's stays.
     */
    @Test
    void anAccountDeletedByAnAdministratorIsSignedOutAndLeavesItsRooms() {
        accounts.register("bob", "forgotten one");
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client phone = t.member("bob", "lobby");

        admin.deleteAccount("bob", "root");
        assertEquals(CloseCodes.BAD_TOKEN, phone.out().closeCode);
        assertNull(ann.out().closeCode);
        assertEquals(List.of("ann"), t.rooms.members("lobby").stream().map(m -> m.user()).toList());
        assertTrue(accounts.login("bob", "forgotten one").isEmpty());
        assertEquals(List.of("root", "delete-account", "bob", "1 rooms left"), audit.recent(1).stream()
                .flatMap(a -> List.of(a.by(), a.action(), a.target(), a.detail()).stream()).toList());

        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.deleteAccount("bob", "root")).code(), "deleted already");
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.deleteAccount("carol", "root")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.deleteAccount("bob\nadmin", "root")).code());
        accounts.ensureAdmin(Optional.of("s3cret pass"));
        assertEquals(ErrorCode.CONFLICT, assertThrows(ChatException.class,
                () -> admin.deleteAccount("Admin", "root")).code(), "the first admin's, in any case");
        assertTrue(accounts.login("admin", "s3cret pass").isPresent());
    }

    /**
     * A new password whose word the bus did not carry (the grid away): the password is changed all the same, and
     * the node's next check of the token generations closes the connections of the tokens it ended.
     */
    @Test
    void aSignOutTheBusLostIsCaughtByTheNextCheck() {
        ClusterBus away = (ClusterBus) Proxy.newProxyInstance(ClusterBus.class.getClassLoader(),
                new Class<?>[] {ClusterBus.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("publish") && arguments[0] instanceof NodeEvent) {
                        throw new IllegalStateException("the grid is away");
                    }
                    return method.invoke(t.bus, arguments);
                });
        AccountService elsewhere = new AccountService(store, new PasswordHasher(1_000), t.tokens, true,
                new AddressCap(1_000, t.clock), "admin", away);
        accounts.register("bob", "the old password");
        TestChat.Client phone = t.member("bob", "lobby");
        TestChat.Client ann = t.member("ann", "lobby");

        assertEquals(AccountService.PasswordOutcome.CHANGED,
                elsewhere.changePassword("bob", "the old password", "the new password").outcome());
        assertNull(phone.out().closeCode, "nobody was told");
        assertEquals(1, admin.enforceSignOuts());
        assertEquals(CloseCodes.BAD_TOKEN, phone.out().closeCode);
        assertEquals(LiveRooms.SIGNED_OUT, phone.out().closeReason);
        assertNull(ann.out().closeCode, "ann, without an account, is not checked");
        assertEquals(0, admin.enforceSignOuts());

        // An account deleted meanwhile: its connections are told why, and so is a hello checked before.
        accounts.register("carol", "carol's password");
        TestChat.Client laptop = t.member("carol", "lobby");
        assertEquals(AccountService.Deletion.DELETED, elsewhere.delete("carol", "carol's password"));
        assertEquals(1, admin.enforceSignOuts());
        assertEquals(LiveRooms.ACCOUNT_DELETED, laptop.out().closeReason);
        assertEquals(LiveRooms.ACCOUNT_DELETED, t.live.signedOutReason("carol"));
    }

    @Test
    void aNoticeIsAStoredSystemMessage() {
        TestChat.Client ann = t.member("ann", "lobby");
        admin.notice("lobby", "maintenance <tonight>", "admin");
        JsonObject message = ann.out().ofType("message").get(0);
        assertEquals("system", message.getString("kind"));
        assertEquals("system", message.getString("from"));
        assertEquals("maintenance <tonight>", message.getString("text"));
        assertEquals(1, message.getInt("seq"));

        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ChatException.class,
                () -> admin.notice("nowhere", "hello", "admin")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.notice("lobby", " ", "admin")).code());
        int longest = Limits.DEFAULTS.maxTextChars();
        admin.notice("lobby", "x".repeat(longest), "admin");
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.notice("lobby", "x".repeat(longest + 1), "admin")).code());
        assertEquals("a notice must not contain the character NUL", assertThrows(ChatException.class,
                () -> admin.notice("lobby", "a\0b", "admin")).getMessage());
        assertEquals("a notice must be Unicode text: it has half of a character (a lone surrogate)",
                assertThrows(ChatException.class, () -> admin.notice("lobby", "a\uD800b", "admin")).getMessage());
        assertEquals("a notice must not hold control characters other than tab and line breaks",
                assertThrows(ChatException.class, () -> admin.notice("lobby", "a\u0001b", "admin")).getMessage());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.noticeToAll("\u0085".repeat(10), "admin")).code(), "C1 too, to every room");
        admin.notice("lobby", "two\tcolumns\r\nand lines", "admin");
        assertEquals(3, ann.out().ofType("message").size(), "the edge, then tab and line breaks, and nothing else");
    }

    /**
     * Two admins at once on two nodes of one database, one raising the frame rate, the other lowering the text
     * limit: each node reads the stored limits when the bus says they changed (what {@code Housekeeping} does),
     * and both keep both.
     */
    @Test
    void limitsChangedOnTwoNodesAtOnceKeepBothChanges() {
        TestChat other = new TestChat();
        AdminService otherAdmin = new AdminService(other.rooms, other.messages, other.live, other.bus, other.chat,
                other.sanctions, accounts, audit, new OperatorLimits(changedLimits, Limits.DEFAULTS, other.chat,
                other.bus), other.wall, "node-2");
        List<NodeEvent> fromHere = new ArrayList<>();
        List<NodeEvent> fromThere = new ArrayList<>();
        t.bus.subscribeToNodeEvents(fromHere::add);
        other.bus.subscribeToNodeEvents(fromThere::add);

        admin.changeLimits(null, null, null, 10, "admin");
        otherAdmin.changeLimits(50, null, null, null, "root");
        assertEquals(List.of(new NodeEvent.LimitsChanged()), fromThere);
        assertEquals(List.of(new NodeEvent.LimitsChanged()), fromHere);
        admin.reloadLimits();
        otherAdmin.reloadLimits();

        for (Limits limits : List.of(admin.limits(), otherAdmin.limits())) {
            assertEquals(50, limits.framesPerSecond());
            assertEquals(10, limits.maxTextChars());
            assertEquals(Limits.DEFAULTS.frameBurst(), limits.frameBurst());
            assertEquals(Limits.DEFAULTS.maxFrameBytes(), limits.maxFrameBytes());
        }
    }

    /**
     * A node started after a change (or the same node restarted) runs the changed limits over its own
     * configuration; a reset puts back each node's configured ones, and is audited.
     */
    @Test
    void changedLimitsHoldOnANodeStartedLaterUntilTheyAreReset() {
        admin.changeLimits(100, null, null, 10, "admin");
        Limits configuredThere = Limits.DEFAULTS.with(null, 80, null, 2000);
        TestChat later = new TestChat(configuredThere);
        OperatorLimits there = new OperatorLimits(changedLimits, configuredThere, later.chat, later.bus);

        there.reload();
        assertEquals(Limits.DEFAULTS.with(100, 80, null, 10), later.chat.limits(), "its own burst, the changes");

        assertEquals(Limits.DEFAULTS, admin.resetLimits("root"));
        assertEquals(Limits.DEFAULTS, admin.limits());
        there.reload();
        assertEquals(configuredThere, later.chat.limits());
        AuditEntry reset = audit.recent(1).get(0);
        assertEquals(List.of("reset-limits", "root", "limits"), List.of(reset.action(), reset.by(), reset.target()));
    }

    @Test
    void limitsChangeWithoutARestartWithinTheirBounds() {
        TestChat.Client ann = t.member("ann", "lobby");
        admin.changeLimits(null, null, null, 10, "admin");
        assertEquals(10, admin.limits().maxTextChars());
        assertEquals(Limits.DEFAULTS.framesPerSecond(), admin.limits().framesPerSecond(), "what was not given is kept");

        t.chat.handle(ann.connection(), new ClientFrame.Send("at", "lobby", "x".repeat(10), "c-1", null));
        assertEquals("c-1", ann.out().ofType("receipt").get(0).getString("clientMsgId"));
        t.chat.handle(ann.connection(), new ClientFrame.Send("past", "lobby", "x".repeat(11), "c-2", null));
        assertEquals("too_large", ann.out().last().getString("code"));

        admin.changeLimits(Limits.MAX_RATE, Limits.MAX_RATE, Limits.MIN_FRAME_BYTES, Limits.MAX_TEXT_CHARS, "admin");
        ChatException tooLong = assertThrows(ChatException.class,
                () -> admin.changeLimits(null, null, null, 8001, "admin"));
        assertEquals(ErrorCode.BAD_REQUEST, tooLong.code());
        assertEquals("maxTextChars must be 1 to 8000, not 8001", tooLong.getMessage());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.changeLimits(0, null, null, null, "admin")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.changeLimits(null, Limits.MAX_RATE + 1, null, null, "admin")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.changeLimits(null, null, 1023, null, "admin")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.changeLimits(null, null, Limits.MAX_FRAME_BYTES + 1, null, "admin")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.changeLimits(Limits.MAX_RATE + 1, null, null, null, "admin")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.changeLimits(null, 0, null, null, "admin")).code());
        assertEquals(Limits.MAX_TEXT_CHARS, admin.limits().maxTextChars(), "a refused change changes nothing");
        assertEquals(Limits.MAX_RATE, admin.limits().frameBurst(), "nor does a refused burst");
        admin.changeLimits(1, 1, Limits.MAX_FRAME_BYTES, 1, "admin");
        assertEquals(Limits.MAX_FRAME_BYTES, admin.limits().maxFrameBytes());
        assertEquals(1, admin.limits().framesPerSecond());
        assertEquals(1, admin.limits().frameBurst());
        assertEquals(1, admin.limits().maxTextChars());

        int audited = audit.recent(500).size();
        ChatException nothing = assertThrows(ChatException.class,
                () -> admin.changeLimits(null, null, null, null, "admin"));
        assertEquals("no limit given: framesPerSecond, frameBurst, maxFrameBytes or maxTextChars",
                nothing.getMessage());
        assertEquals(audited, audit.recent(500).size(), "a change of nothing is not audited");
    }

    /** A name no user or room can have is a bad request on every operation, named without echoing it. */
    @Test
    void everyOperationRefusesANameNoUserOrRoomCanHave() {
        t.member("ann", "lobby");
        String badUser = "a\nb" + "x".repeat(1000);
        List<Runnable> byUser = List.of(() -> admin.kick(badUser, "root"), () -> admin.mute(badUser, 5, "root"),
                () -> admin.ban(badUser, "root"), () -> admin.lift(badUser, Sanction.Kind.MUTE, "root"),
                () -> admin.lift(badUser, Sanction.Kind.BAN, "root"), () -> admin.removeFromRoom("lobby", badUser,
                        "root"));
        for (Runnable operation : byUser) {
            ChatException refused = assertThrows(ChatException.class, operation::run);
            assertEquals(ErrorCode.BAD_REQUEST, refused.code());
            assertEquals("a user name is 1-38 of letters, digits, _ - .", refused.getMessage());
        }
        List<Runnable> byRoom = List.of(() -> admin.notice("a b", "hi", "root"),
                () -> admin.deleteMessage("a b", 1, "root"), () -> admin.removeFromRoom("a b", "ann", "root"),
                () -> admin.room("a b"), () -> admin.archive("a b", "root"), () -> admin.reopen("a b", "root"),
                () -> admin.clearTopic("a b", "root"));
        for (Runnable operation : byRoom) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class, operation::run).code());
        }
        assertEquals(List.of(), audit.recent(500), "nothing was done");
    }

    @Test
    void aUserNameIsTakenUpToTheLongestAGuestHas() {
        String longest = "guest-" + "n".repeat(32); // a guest's prefix and the longest nickname
        assertEquals(0, admin.kick(longest, "root"), "taken: nobody of that name is online");
        ChatException refused = assertThrows(ChatException.class, () -> admin.kick(longest + "n", "root"));
        assertEquals(ErrorCode.BAD_REQUEST, refused.code());
    }

    /** The types of the client's last {@code count} frames, in order. */
    private static List<String> lastTypes(TestChat.Client client, int count) {
        List<JsonObject> frames = client.out().json();
        return frames.subList(frames.size() - count, frames.size()).stream().map(f -> f.getString("type")).toList();
    }
}
