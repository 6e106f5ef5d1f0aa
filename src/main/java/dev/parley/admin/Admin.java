package dev.parley.admin;

import dev.parley.chat.ChatService;
import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.Grid;
import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.room.Clocks;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import dev.parley.security.AccountService;
import dev.parley.security.Sanctions;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Makes the application's {@link AdminService} from the container's beans. */
@ApplicationScoped
public class Admin {

    @Inject
    RoomStore rooms;

    @Inject
    MessageStore messages;

    @Inject
    RoomRegistry registry;

    @Inject
    ClusterBus bus;

    @Inject
    ChatService chat;

    @Inject
    Sanctions sanctions;

    @Inject
    AccountService accounts;

    @Inject
    AuditLog audit;

    @Inject
    LimitStore limitStore;

    @Inject
    Limits configured;

    /** One per node: it orders the reads of the stored limits (an {@link AdminService} is made per injection). */
    private OperatorLimits limits;

    @PostConstruct
    void assemble() {
        limits = new OperatorLimits(limitStore, configured, chat, bus);
    }

    /**
     * The limits an operator changed before this node started hold from its first connection (after the schema
     * migrations, which observe the same event first).
     */
    void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
        limits.reload();
    }

    @Produces
    public AdminService adminService() {
        return new AdminService(rooms, messages, registry.live(), bus, chat, sanctions, accounts, audit, limits,
                Clocks.NODE.wall(), Grid.NODE);
    }
}
