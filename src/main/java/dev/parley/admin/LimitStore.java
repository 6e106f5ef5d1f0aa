package dev.parley.admin;

import java.util.Map;

/**
 * The runtime limits an operator changed, each by its name in the limits' JSON ({@code maxTextChars}): kept
 * until it is changed again or the limits are reset, whatever the nodes' configuration says meanwhile.
 */
public interface LimitStore {

    /** Every limit changed and not reset, by name. */
    Map<String, Integer> changed();

    /** Stores each of these, replacing a value stored for it; the others stay as they are. */
    void change(Map<String, Integer> limits);

    /** Forgets every change: the configured limits hold again. */
    void reset();
}
