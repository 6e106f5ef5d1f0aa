package dev.parley.admin;

/**
 * The admin operations for a JMX console (JConsole, VisualVM, WildFly's CLI), registered as
 * {@code parley:type=Admin}. Lists are lines of text, which every console shows as they are.
 */
public interface AdminMXBean {

    /** One line per room: name, latest seq, owner, access, members, users online on this node. */
    String[] getRooms();

    /** One line per signed-in connection of this node: id, user, address, since. */
    String[] getConnections();

    /** Closes the user's connections on this node with 4503; returns how many. */
    int kick(String user);

    /** Posts a system notice to the room; returns its seq. */
    long postNotice(String room, String text);

    /** The limits in force, as text. */
    String getLimits();

    /** Changes the limits an operator may change at runtime; 0 keeps a value. Returns the new limits. */
    String changeLimits(int framesPerSecond, int frameBurst, int maxFrameBytes, int maxTextChars);
}
