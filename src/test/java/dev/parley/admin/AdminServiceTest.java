package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminServiceTest {

    private final TestChat t = new TestChat();
    private final AdminService admin = new AdminService(t.rooms, t.messages, t.live, t.bus, 4000);

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
}
