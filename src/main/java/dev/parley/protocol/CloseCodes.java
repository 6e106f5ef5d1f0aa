package dev.parley.protocol;

import java.util.List;

/** The contract's close codes. 4000–4499: reconnect with backoff; 4500–4999: not without the user. */
public final class CloseCodes {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int TOO_BIG = 1009;
    public static final int SERVER_ERROR = 1011;
    public static final int HEARTBEAT_TIMEOUT = 4001;
    public static final int TOO_SLOW = 4008;
    public static final int RATE_LIMITED = 4029;
    public static final int NO_HELLO = 4401;
    public static final int BAD_TOKEN = 4501;
    public static final int KICKED = 4503;
    public static final int BANNED = 4504;
    /**
     * The codes counted each on its own in the metrics: the contract's above, and 1006, the protocol's for a
     * connection that dropped without a close frame, which a node sees and no endpoint sends (AsyncApiTest holds
     * the constants above to the contract's list).
     */
    public static final List<Integer> COUNTED = List.of(NORMAL, GOING_AWAY, 1006, TOO_BIG, SERVER_ERROR,
            HEARTBEAT_TIMEOUT, TOO_SLOW, RATE_LIMITED, NO_HELLO, BAD_TOKEN, KICKED, BANNED);

    private CloseCodes() {
    }
}
