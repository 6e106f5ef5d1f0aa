package dev.parley.admin;

import dev.parley.chat.ChatService;
import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.Grid;
import dev.parley.delivery.MessageStore;
import dev.parley.room.Clocks;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import dev.parley.security.AccountService;
import dev.parley.security.Sanctions;
import jakarta.enterprise.context.ApplicationScoped;
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

    @Produces
    public AdminService adminService() {
        return new AdminService(rooms, messages, registry.live(), bus, chat, sanctions, accounts, audit,
                Clocks.NODE.wall(), Grid.NODE);
    }
}
