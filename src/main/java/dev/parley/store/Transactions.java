package dev.parley.store;

import dev.parley.protocol.ChatException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/**
 * Runs work in a transaction of its own, again once when it lost a race on a unique key (two nodes or
 * threads creating one room, or sending one client message id to two rooms): the second run sees the
 * winner's row. Refusals ({@link ChatException}) are not retried.
 */
@ApplicationScoped
public class Transactions {

    public <T> T retryingOnce(Supplier<T> work) {
        try {
            return inNew(work);
        } catch (ChatException e) {
            throw e;
        } catch (RuntimeException e) {
            return inNew(work);
        }
    }

    /** CDI intercepts this call even from inside the bean, so each call is its own transaction. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public <T> T inNew(Supplier<T> work) {
        return work.get();
    }
}
