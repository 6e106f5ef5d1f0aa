package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminServiceTest {

    private final TestChat t = new TestChat();
    private final AdminService admin = new AdminService(t.rooms, t.messages, t.live, t.bus, t.chat);

    @Test
    void roomsShowMembersAndWhoIsOnline() {
        t.member("ann", "lobby");
        t.member("bob", "lobby");
        assertEquals(List.of(new AdminService.RoomInfo("lobby", 0, "ann", "public", 2, 2)), admin.rooms());
        assertEquals(List.of("ann", "bob"), admin.connections().stream().map(AdminService.ConnectionInfo::user)
                .sorted().toList());
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
        admin.notice("lobby", "x".repeat(4000), "admin");
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.notice("lobby", "x".repeat(4001), "admin")).code());
    }

    @Test
    void limitsChangeWithoutARestartWithinTheirBounds() {
        TestChat.Client ann = t.member("ann", "lobby");
        admin.changeLimits(null, null, null, 10, "admin");
        assertEquals(10, admin.limits().maxTextChars());
        assertEquals(20, admin.limits().framesPerSecond(), "what was not given is kept");

        t.chat.handle(ann.connection(), new ClientFrame.Send("at", "lobby", "x".repeat(10), "c-1", null));
        assertEquals("receipt", ann.out().ofType("receipt").get(0).getString("type"));
        t.chat.handle(ann.connection(), new ClientFrame.Send("past", "lobby", "x".repeat(11), "c-2", null));
        assertEquals("too_large", ann.out().last().getString("code"));

        admin.changeLimits(null, null, 1024, 8000, "admin");
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.changeLimits(null, null, null, 8001, "admin")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.changeLimits(0, null, null, null, "admin")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ChatException.class,
                () -> admin.changeLimits(null, null, 1023, null, "admin")).code());
        assertEquals(8000, admin.limits().maxTextChars(), "a refused change changes nothing");
    }
}
