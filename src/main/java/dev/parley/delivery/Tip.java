package dev.parley.delivery;

/** What a tip gives: an amount (a whole number of the room's points) to a member. */
public record Tip(String to, int amount) {

    /** The most one tip gives: tips are a gesture, not a currency. */
    public static final int MAX_AMOUNT = 1000;
}
