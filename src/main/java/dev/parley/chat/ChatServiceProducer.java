package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.room.ModerationStore;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import dev.parley.security.PasswordHasher;
import dev.parley.security.Blocks;
import dev.parley.security.Sanctions;
import dev.parley.security.TokenService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;

/** Assembles the one {@link ChatService} of the application from the container's beans. */
@ApplicationScoped
public class ChatServiceProducer {

    @Inject
    RoomStore rooms;

    @Inject
    ModerationStore moderation;

    @Inject
    PasswordHasher hasher;

    @Inject
    MessageStore messages;

    @Inject
    RoomRegistry registry;

    @Inject
    ClusterBus bus;

    @Inject
    TokenService tokens;

    @Inject
    Sanctions sanctions;

    @Inject
    Blocks blocks;

    @Inject
    Limits limits;

    private ChatService chat;

    @PostConstruct
    void assemble() {
        chat = new ChatService(rooms, moderation, messages, registry.redelivery(), registry.readMarkers(),
                registry.live(), bus, tokens, hasher, sanctions, blocks, limits, Clock.systemUTC());
    }

    @Produces
    public ChatService chatService() {
        return chat;
    }
}
