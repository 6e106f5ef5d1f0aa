package dev.parley.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the seams into Tyrus and Grizzly found out about the server they run on, logged once per node: the first
 * connections arrive together, and each of them may work the same finding out before one of them is kept.
 */
final class Findings {

    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private Findings() {
    }

    static void log(Logger log, String finding, Throwable cause) {
        if (LOGGED.add(finding)) {
            log.log(Level.INFO, finding, cause);
        }
    }
}
