package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.config.Limits;
import dev.parley.security.Blocks;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Blocking, tips and the member list on the deployed WAR, with its database. */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
class BlockingIT {

    @Test
    void aBlockersViewHidesTheBlockedWhileTheRoomGoesOn() throws Exception {
        String room = Server.unique("crowd");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient eve = WsClient.joined(Server.unique("eve"), room)) {
            String eveName = eve.user();
            String annName = ann.user();
            ann.send(WsClient.frame("block").add("ref", "b").add("user", eveName));
            ann.reply("b", "ok");

            eve.send(WsClient.send("s", room, "something nasty", "block-1"));
            eve.reply("s", "receipt");
            JsonObject hidden = ann.await("message");
            assertEquals(List.of("hidden", "", 1), List.of(hidden.getString("kind"), hidden.getString("text"),
                    hidden.getInt("seq")));

            eve.send(WsClient.frame("tip").add("ref", "t").add("room", room).add("user", annName).add("amount", 25)
                    .add("clientMsgId", "block-tip"));
            eve.reply("t", "receipt");
            ann.send(WsClient.frame("members").add("ref", "m").add("room", room));
            JsonObject members = ann.reply("m", "members");
            assertEquals(25, members.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                    .filter(m -> m.getString("user").equals(annName)).findFirst().orElseThrow().getInt("tips"),
                    "a blocked user's tip still counts; only its line is hidden");

            ann.send(WsClient.frame("history").add("ref", "h").add("room", room));
            assertEquals(List.of("hidden", "hidden"), ann.reply("h", "messages").getJsonArray("items")
                    .getValuesAs(JsonObject.class).stream().map(m -> m.getString("kind")).toList());

            ann.send(WsClient.frame("unblock").add("ref", "u").add("user", eveName));
            ann.reply("u", "ok");
            eve.send(WsClient.send("s2", room, "sorry", "block-2"));
            eve.reply("s2", "receipt");
            assertEquals("sorry", ann.await("message", m -> m.getInt("seq") == 3).getString("text"));
        }
    }

    /** The cap every node's memory relies on, in the run's database: a thousand blocks, then no more. */
    @Test
    void aUserBlocksAtMostAThousandOthers() throws Exception {
        String admin = Server.adminToken();
        try (AutoCloseable restoring = Server.restoringLimits(admin)) {
            // A connection's rate is set when it opens: raised first, for a thousand frames at once.
            HttpResponse<String> faster = Server.put("api/admin/limits", admin,
                    "{\"framesPerSecond\":" + Limits.MAX_RATE + ",\"frameBurst\":" + Limits.MAX_RATE + "}");
            assertEquals(200, faster.statusCode(), faster.body());
            try (WsClient ann = WsClient.hello(Server.ws(), Server.guest(Server.unique("ann")).getString("token"))) {
                Set<String> refs = new HashSet<>();
                for (int i = 0; i < Blocks.MAX_PER_USER; i++) {
                    ann.send(WsClient.frame("block").add("ref", "b" + i).add("user", "pest-" + i));
                    refs.add("b" + i);
                }
                ann.replies(refs, "ok");
                ann.send(WsClient.frame("block").add("ref", "one-more").add("user", "pest-" + Blocks.MAX_PER_USER));
                assertEquals("forbidden", ann.reply("one-more", "error").getString("code"));
                ann.send(WsClient.frame("block").add("ref", "again").add("user", "pest-0"));
                ann.reply("again", "ok");
            }
        }
    }
}
