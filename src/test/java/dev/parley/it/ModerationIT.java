package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A room's own moderation on the deployed WAR: who may mute, kick and tip whom, what the room is told, and
 * what the person concerned sees; and a direct conversation that nobody else enters.
 */
@Tag("wildfly")
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
class ModerationIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Server.war();
    }

    @Test
    void ownersAndModeratorsMuteAndKickMembersAndTheRoomIsToldEachTime() throws Exception {
        String room = Server.unique("club");
        try (WsClient olga = WsClient.joined(Server.unique("olga"), room);
             WsClient mia = WsClient.joined(Server.unique("mia"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            String olgaName = olga.user();
            String miaName = mia.user();
            String bobName = bob.user();

            mia.send(WsClient.frame("mute").add("ref", "m0").add("room", room).add("user", bobName).add("minutes", 5));
            assertEquals("forbidden", mia.reply("m0", "error").getString("code"), "a member mutes nobody");
            olga.send(WsClient.frame("role").add("ref", "r").add("room", room).add("user", miaName)
                    .add("role", "moderator"));
            olga.reply("r", "ok");
            mia.send(WsClient.frame("mute").add("ref", "m1").add("room", room).add("user", olgaName).add("minutes", 5));
            assertEquals("forbidden", mia.reply("m1", "error").getString("code"), "not the owner, above her");

            mia.send(WsClient.frame("mute").add("ref", "m2").add("room", room).add("user", bobName).add("minutes", 5));
            mia.reply("m2", "ok");
            assertEquals(miaName + " muted " + bobName + " for 5 minutes",
                    bob.await("message", m -> m.getString("kind").equals("system")
                            && m.getString("text").contains("muted")).getString("text"));
            bob.send(WsClient.send("s", room, "let me speak", "mod-1"));
            JsonObject muted = bob.reply("s", "error");
            assertEquals("muted", muted.getString("code"));
            assertTrue(muted.getString("message").startsWith("you are muted in " + room + " for "), muted.toString());
            bob.send(WsClient.frame("tip").add("ref", "t").add("room", room).add("user", olgaName).add("amount", 5)
                    .add("clientMsgId", "mod-tip"));
            assertEquals("muted", bob.reply("t", "error").getString("code"), "nor tip");

            mia.send(WsClient.frame("kick").add("ref", "k").add("room", room).add("user", bobName));
            mia.reply("k", "ok");
            assertEquals("kicked", bob.await("left").getString("reason"));
            bob.send(WsClient.frame("join").add("ref", "j").add("room", room));
            bob.reply("j", "joined");
            olga.await("message", m -> m.getString("kind").equals("system")
                    && m.getString("text").equals(miaName + " removed " + bobName + " from the room"));

            // The owner who leaves is not banned by her moderator meanwhile, and comes back as the owner.
            olga.send(WsClient.frame("leave").add("ref", "l").add("room", room));
            olga.reply("l", "left");
            mia.send(WsClient.frame("ban").add("ref", "b").add("room", room).add("user", olgaName));
            assertEquals("forbidden", mia.reply("b", "error").getString("code"));
            olga.send(WsClient.frame("join").add("ref", "back").add("room", room));
            assertEquals("owner", olga.reply("back", "joined").getString("role"));
        }
    }

    @Test
    void aDirectConversationIsTheTwosAlone() throws Exception {
        try (WsClient ann = WsClient.joined(Server.unique("ann"), Server.unique("hall"));
             WsClient bob = WsClient.joined(Server.unique("bob"), Server.unique("hall"));
             WsClient cy = WsClient.joined(Server.unique("cy"), Server.unique("hall"))) {
            ann.send(WsClient.frame("dm").add("ref", "d").add("user", bob.user()));
            String direct = ann.reply("d", "joined").getString("room");
            assertEquals(ann.user(), bob.await("joined", j -> j.getString("room").equals(direct)).getString("with"));
            cy.send(WsClient.frame("join").add("ref", "j").add("room", direct));
            assertEquals("forbidden", cy.reply("j", "error").getString("code"));
            ann.send(WsClient.frame("invite").add("ref", "i").add("room", direct).add("user", cy.user()));
            assertEquals("forbidden", ann.reply("i", "error").getString("code"));
            bob.send(WsClient.send("s", direct, "hi ann", "dm-1"));
            bob.reply("s", "receipt");
            assertEquals("hi ann", ann.await("message", m -> m.getString("room").equals(direct)).getString("text"));
        }
    }
}
