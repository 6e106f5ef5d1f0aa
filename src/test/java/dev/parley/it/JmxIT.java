package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.admin.AdminMBean;
import dev.parley.admin.AdminMXBean;
import dev.parley.config.Limits;
import dev.parley.config.Settings;
import jakarta.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin operations through a real JMX connection to the test server, as a JConsole user runs them. */
@Tag("wildfly")
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
class JmxIT {

    @Test
    void theConsoleListsKicksAndPostsNotices() throws Exception {
        String room = Server.unique("console");
        try (JMXConnector connector = connect();
             WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            AdminMXBean admin = console(connector);

            assertTrue(Arrays.stream(admin.getRooms()).anyMatch(line -> line.startsWith(room + " ")
                    && line.contains(" members=2 online=2 ")), Arrays.toString(admin.getRooms()));
            String bobName = bob.user();
            assertTrue(Arrays.stream(admin.getConnections()).anyMatch(line -> line.contains("user=" + bobName)));

            long seq = admin.postNotice(room, "from the console");
            JsonObject notice = ann.await("message", m -> m.getString("kind").equals("system"));
            assertEquals("from the console", notice.getString("text"));
            assertEquals(seq, notice.getJsonNumber("seq").longValue());
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> admin.postNotice(Server.unique("nowhere"), "hello?"));
            assertTrue(refused.getMessage().startsWith("no room"), refused.getMessage());

            admin.mute(bobName, 10);
            bob.send(WsClient.send("muted", room, "from a muted user", "jmx-1"));
            assertEquals("muted", bob.reply("muted", "error").getString("code"));
            assertTrue(Arrays.stream(admin.getSanctions()).anyMatch(line -> line.startsWith(bobName + " mute ")));
            admin.unmute(bobName);
            bob.send(WsClient.send("free", room, "regrettable", "jmx-2"));
            long regrettable = bob.reply("free", "receipt").getJsonNumber("seq").longValue();

            long event = admin.deleteMessage(room, regrettable);
            JsonObject deletion = ann.await("message", m -> m.getString("kind").equals("deleted"));
            assertEquals(regrettable, deletion.getJsonNumber("target").longValue());
            assertEquals(event, deletion.getJsonNumber("seq").longValue());
            ann.send(WsClient.frame("topic").add("ref", "t").add("room", room).add("text", "Seen from the console"));
            ann.reply("t", "ok");
            ann.await("message", m -> m.getString("kind").equals("topic"));
            assertTrue(Arrays.stream(admin.getRooms()).anyMatch(line -> line.startsWith(room + " ")
                    && line.endsWith(" archived=false topic=Seen from the console")),
                    Arrays.toString(admin.getRooms()));
            long cleared = admin.clearTopic(room);
            JsonObject topic = ann.await("message", m -> m.getString("kind").equals("topic"));
            assertEquals(List.of(cleared, "jmx", ""), List.of(topic.getJsonNumber("seq").longValue(),
                    topic.getString("from"), topic.getString("text")));
            ann.send(WsClient.frame("link").add("ref", "l").add("room", room));
            ann.reply("l", "link");
            assertEquals(1, admin.removeLinks(room));
            assertEquals("jmx removed the room's invitation links",
                    ann.await("message", m -> m.getString("text").endsWith("invitation links")).getString("text"));
            admin.handOverRoom(room, bobName);
            assertEquals("owner", ann.await("role", r -> r.getString("user").equals(bobName)).getString("role"));
            assertEquals("moderator", ann.await("role", r -> r.getString("user").equals(ann.user())).getString("role"),
                    "the owner stays on as a moderator");

            admin.archiveRoom(room);
            ann.send(WsClient.send("late", room, "anyone?", "jmx-3"));
            assertEquals("forbidden", ann.reply("late", "error").getString("code"));
            admin.reopenRoom(room);
            assertTrue(Arrays.stream(admin.getAudit()).anyMatch(line -> line.contains(" jmx reopen " + room)),
                    Arrays.toString(admin.getAudit()));

            assertEquals(1, admin.kick(bobName));
            assertEquals(4503, bob.awaitClose(WsClient.WAIT));
        }
    }

    /**
     * An operation's numbers are primitives there: 0 keeps a limit as it is, anything else is checked. A reset
     * puts back the configured limits.
     */
    @Test
    void theConsoleChangesOneLimitAndZeroKeepsTheOthers() throws Exception {
        String room = Server.unique("console-limits");
        try (AutoCloseable restoring = Server.restoringLimits(Server.adminToken());
             JMXConnector connector = connect();
             WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            AdminMXBean admin = console(connector);
            String changed = admin.changeLimits(0, 0, 0, 50);
            assertTrue(changed.contains(", maxTextChars=50,"), changed);
            assertTrue(changed.contains(", framesPerSecond=" + Limits.DEFAULTS.framesPerSecond() + ","), changed);

            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> admin.changeLimits(-1, 0, 0, 0));
            assertEquals("framesPerSecond must be 1 to 1000000, not -1", refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> admin.changeLimits(0, 0, 0, Limits.MAX_TEXT_CHARS + 1));
            assertTrue(admin.getLimits().contains(", maxTextChars=50,"), "a refused change changes nothing");

            ann.send(WsClient.send("at", room, "x".repeat(50), "jmx-at"));
            ann.reply("at", "receipt");
            ann.send(WsClient.send("past", room, "x".repeat(51), "jmx-past"));
            assertEquals("too_large", ann.reply("past", "error").getString("code"));

            String reset = admin.resetLimits();
            assertTrue(reset.contains(", maxTextChars=" + Limits.DEFAULTS.maxTextChars() + ","), reset);
            ann.send(WsClient.send("long", room, "x".repeat(51), "jmx-long"));
            ann.reply("long", "receipt");
        }
    }

    /** A user who forgot their password gets a new one from the console; one who asked to go, their account deleted. */
    @Test
    void theConsoleGivesAUserANewPasswordAndDeletesAnAccount() throws Exception {
        String name = Server.unique("frank");
        assertEquals(201, Server.register(name, "forgotten one").statusCode());
        try (JMXConnector connector = connect()) {
            AdminMXBean admin = console(connector);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> admin.resetPassword(name, "7 chars"));
            assertEquals("a password is 8 to 1024 characters", refused.getMessage());
            admin.resetPassword(name, "a new password");
        }
        assertEquals(401, Server.login(name, "forgotten one").statusCode());
        assertEquals(200, Server.login(name, "a new password").statusCode());
        try (JMXConnector connector = connect()) {
            AdminMXBean admin = console(connector);
            assertEquals(List.of(name), Arrays.stream(admin.accounts(name)).map(line -> line.split(" ")[0]).toList(),
                    "found by its name, from the start");
            admin.deleteAccount(name);
            assertTrue(admin.accounts(name)[0].startsWith(name + " deleted created="), admin.accounts(name)[0]);
            IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                    () -> admin.deleteAccount(name));
            assertEquals(name + " has no account", gone.getMessage());
        }
        assertEquals(401, Server.login(name, "a new password").statusCode(), "deleted");
    }

    /** The rest of the console: a room's members, removing one, a ban and its lift, a notice to all, a purge. */
    @Test
    void theConsoleRemovesAMemberBansAndTellsEveryRoom() throws Exception {
        String room = Server.unique("console-room");
        try (JMXConnector connector = connect();
             WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            AdminMXBean admin = console(connector);
            String annName = ann.user();
            String bobName = bob.user();
            assertEquals(List.of(annName + " role=owner online=true", bobName + " role=member online=true"),
                    Arrays.stream(admin.roomMembers(room)).sorted().toList());

            admin.removeFromRoom(room, bobName);
            JsonObject left = bob.await("left");
            assertEquals(List.of(room, "kicked"), List.of(left.getString("room"), left.getString("reason")));
            assertEquals(List.of(annName + " role=owner online=true"), Arrays.asList(admin.roomMembers(room)));
            IllegalArgumentException notThere = assertThrows(IllegalArgumentException.class,
                    () -> admin.removeFromRoom(room, bobName));
            assertEquals(bobName + " is not a member of " + room, notThere.getMessage());

            JsonObject carol = Server.guest(Server.unique("carol"));
            String carolName = carol.getString("user");
            try (WsClient carols = WsClient.hello(Server.ws(), carol.getString("token"))) {
                assertTrue(admin.ban(carolName).startsWith(carolName + " ban until=lifted by=jmx "));
                assertEquals(4504, carols.awaitClose(WsClient.WAIT));
            }
            admin.unban(carolName);
            try (WsClient back = WsClient.hello(Server.ws(), carol.getString("token"))) {
                assertEquals(carolName, back.user(), "welcome again once the ban is lifted");
            }

            String other = Server.unique("console-other");
            bob.send(WsClient.frame("join").add("ref", "o").add("room", other));
            bob.reply("o", "joined");
            int rooms = admin.postNoticeToAll("maintenance at noon");
            assertTrue(rooms >= 2, "at least this test's two rooms: " + rooms);
            for (WsClient member : List.of(ann, bob)) {
                String theirs = member == ann ? room : other;
                assertEquals("maintenance at noon", member.await("message", m -> m.getString("room").equals(theirs)
                        && m.getString("kind").equals("system") && m.getString("text").startsWith("maintenance"))
                        .getString("text"), "in " + theirs);
            }

            assertEquals(0, admin.purgeOlderThan(1), "nothing on this server is a day old");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> admin.purgeOlderThan(0));
            assertEquals("olderThanDays must be 1 to " + Settings.MAX_RETENTION_DAYS + ", not 0",
                    refused.getMessage());
            assertTrue(Arrays.stream(admin.getAudit()).anyMatch(line -> line.contains(" jmx remove-member " + room
                    + "/" + bobName)), Arrays.toString(admin.getAudit()));
        }
    }

    /** Payara: the JVM's own JMX agent; WildFly: its management port (it.jmx.url), as its jconsole.sh connects. */
    private static JMXConnector connect() throws Exception {
        return JMXConnectorFactory.connect(new JMXServiceURL(System.getProperty("it.jmx.url",
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + System.getProperty("it.jmx.port") + "/jmxrmi")));
    }

    private static AdminMXBean console(JMXConnector connector) throws Exception {
        MBeanServerConnection server = connector.getMBeanServerConnection();
        return JMX.newMXBeanProxy(server, new ObjectName(AdminMBean.OBJECT_NAME), AdminMXBean.class);
    }
}
