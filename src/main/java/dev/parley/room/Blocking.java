package dev.parley.room;

/** Whose messages a reader does not get: those of the users the reader blocked. */
@FunctionalInterface
public interface Blocking {

    Blocking NOBODY = (reader, author) -> false;

    boolean hides(String reader, String author);
}
