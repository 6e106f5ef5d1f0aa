package dev.parley.admin;

/**
 * The admin operations for a JMX console (JConsole, VisualVM; WildFly's CLI cannot call them), registered as
 * {@code parley:type=Admin}. Lists are lines of text, which every console shows as they are.
 */
public interface AdminMXBean {

    /**
     * One line per room: name, latest seq, owner, access, members, online (on any node), messages, archived, and
     * last its topic when it has one (the rest of the line: a topic has spaces).
     */
    String[] getRooms();

    /** One line per member of the room: user, role, online (on any node). */
    String[] roomMembers(String room);

    /** One line per signed-in connection of every node: id, user, node, address, since. */
    String[] getConnections();

    /** Closes the user's connections on every node with 4503; returns how many the user had. */
    int kick(String user);

    /** Removes the user from the room; they get {@code left} with reason {@code kicked}. */
    void removeFromRoom(String room, String user);

    /** Mutes the user on the whole server for the minutes given (0: until lifted). */
    String mute(String user, int minutes);

    void unmute(String user);

    /** Bans the user from the server; their connections close with 4504. */
    String ban(String user);

    void unban(String user);

    /** Gives the user a new password (one who forgot theirs); their tokens of before stop working. */
    void resetPassword(String user, String password);

    /** Deletes the user's account as their own deletion would; not the first admin's. */
    void deleteAccount(String user);

    /** One line per mute or ban in force. */
    String[] getSanctions();

    /** One line per account whose name starts with the prefix (any case), the first 200 in name order. */
    String[] accounts(String prefix);

    /** Posts a system notice to the room; returns its seq. */
    long postNotice(String room, String text);

    /** Posts a system notice to every room that is not archived; returns how many. */
    int postNoticeToAll(String text);

    /** Makes the room read-only. */
    void archiveRoom(String room);

    void reopenRoom(String room);

    /** Deletes the message; returns the seq of the deletion event. */
    long deleteMessage(String room, long seq);

    /** Clears the room's topic; returns the seq of the topic event. */
    long clearTopic(String room);

    /** Ends every invitation link of the room; returns how many were in force. */
    int removeLinks(String room);

    /** Gives the room to one of its members; its owner, when a member, stays on as a moderator. */
    void handOverRoom(String room, String user);

    /** Removes every message older than the days given; returns how many. */
    int purgeOlderThan(int days);

    /** The newest 50 entries of the audit trail, newest first. */
    String[] getAudit();

    /** The limits in force, as text. */
    String getLimits();

    /** Changes the limits an operator may change at runtime; 0 keeps a value. Returns the new limits. */
    String changeLimits(int framesPerSecond, int frameBurst, int maxFrameBytes, int maxTextChars);

    /** Forgets every change of the limits: each node runs its configured ones again. Returns them. */
    String resetLimits();
}
