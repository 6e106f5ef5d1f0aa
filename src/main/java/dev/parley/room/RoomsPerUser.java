package dev.parley.room;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;

/**
 * How many rooms one user may be a member of. Anybody may invite anybody or open a direct conversation with
 * them: without a cap a stranger could add a user to rooms until their {@code welcome} no longer fits a
 * connection's queue, and every connection of theirs would be closed as too slow to read.
 */
public record RoomsPerUser(int max) {

    /** The refusal to a user in {@link #max} rooms already: to them ({@code asker}), or to whoever adds them. */
    public ChatException refusal(String user, String asker) {
        return user.equals(asker)
                ? new ChatException(ErrorCode.FORBIDDEN, "you are in " + max + " rooms, as many as one may be: "
                        + "leave one first")
                : new ChatException(ErrorCode.CONFLICT, user + " is in " + max + " rooms, as many as one may be");
    }
}
