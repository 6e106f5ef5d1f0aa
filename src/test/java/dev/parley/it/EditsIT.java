package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Edits and deletions on the deployed WAR: live, in history, and for a client that was away and resumes. */
@Tag("wildfly")
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
class EditsIT {

    @Test
    void editsAndDeletionsReachThoseOnlineThoseWhoResumeAndHistory() throws Exception {
        String room = Server.unique("edited");
        String bobToken = Server.guest(Server.unique("bob")).getString("token");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            long epochSeq;
            String epoch;
            try (WsClient bob = WsClient.hello(Server.ws(), bobToken)) {
                bob.send(WsClient.frame("join").add("ref", "j").add("room", room));
                JsonObject joined = bob.reply("j", "joined");
                epoch = joined.getString("epoch");
                bob.send(WsClient.send("s1", room, "helo", "edit-1"));
                bob.reply("s1", "receipt");
                bob.send(WsClient.send("s2", room, "something regrettable", "edit-2"));
                epochSeq = bob.reply("s2", "receipt").getJsonNumber("seq").longValue();
                ann.send(WsClient.frame("edit").add("ref", "theirs").add("room", room).add("seq", 1).add("text", "x"));
                assertEquals("forbidden", ann.reply("theirs", "error").getString("code"), "only the sender edits");
            }
            // bob is away; ann (the owner) deletes his second message; bob's first is edited by nobody yet.
            ann.send(WsClient.frame("delete").add("ref", "d").add("room", room).add("seq", epochSeq));
            ann.reply("d", "ok");
            JsonObject deleted = ann.await("message", m -> m.getString("kind").equals("deleted"));
            assertEquals(epochSeq, deleted.getJsonNumber("target").longValue());

            try (WsClient bob = WsClient.connect(Server.ws())) {
                bob.send(WsClient.frame("hello").add("ref", "h").add("token", bobToken).add("resume",
                        Json.createObjectBuilder().add(room, Json.createObjectBuilder().add("seq", epochSeq)
                                .add("epoch", epoch))));
                bob.reply("h", "welcome");
                JsonObject replayed = bob.await("message");
                assertEquals("deleted", replayed.getString("kind"), "the deletion is replayed to who was away");
                bob.await("synced");

                bob.send(WsClient.frame("edit").add("ref", "e").add("room", room).add("seq", 1).add("text", "hello"));
                bob.reply("e", "ok");
                JsonObject edited = ann.await("message", m -> m.getString("kind").equals("edited"));
                assertEquals(1, edited.getInt("target"));
                assertEquals("hello", edited.getString("text"));
            }

            ann.send(WsClient.frame("history").add("ref", "hist").add("room", room));
            List<JsonObject> items = ann.reply("hist", "messages").getJsonArray("items")
                    .getValuesAs(JsonObject.class);
            assertEquals("hello", items.get(0).getString("text"));
            assertTrue(items.get(0).getBoolean("edited"));
            assertEquals("", items.get(1).getString("text"), "the deleted text is gone from storage");
            assertTrue(items.get(1).getBoolean("deleted"));

            // A message edited, then deleted: none of its texts stays, the edit's event's included.
            ann.send(WsClient.frame("delete").add("ref", "d1").add("room", room).add("seq", 1));
            ann.reply("d1", "ok");
            ann.send(WsClient.frame("history").add("ref", "after").add("room", room));
            List<String> texts = ann.reply("after", "messages").getJsonArray("items").getValuesAs(JsonObject.class)
                    .stream().map(item -> item.getString("text")).toList();
            assertEquals(5, texts.size(), "two messages and three events: " + texts);
            assertTrue(texts.stream().allMatch(String::isEmpty), "no text is left: " + texts);
        }
    }
}
