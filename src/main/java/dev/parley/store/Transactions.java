package dev.parley.store;

import dev.parley.protocol.ChatException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a unit of store work in a transaction of its own, and once more when it lost a race on a unique key
 * (two nodes or threads creating one room, membership, invitation, ban or account; two admins sanctioning one
 * user; one block from two devices): the second run sees the winner's row. Refusals ({@link ChatException}) are
 * not retried. Callers run outside any transaction (WebSocket and timer threads, the HTTP API, a JMX console's
 * tasks), so that "committed" means committed when this returns.
 */
@ApplicationScoped
public class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class.getName());

    @Resource
    UserTransaction tx;

    public <T> T retryingOnce(Supplier<T> work) {
        try {
            return inNew(work);
        } catch (ChatException e) {
            throw e;
        } catch (RuntimeException e) {
            // Nearly always the lost race, which the second run answers; kept for a debugging eye.
            LOG.log(Level.FINE, "store work failed once; running it again", e);
            return inNew(work);
        }
    }

    public <T> T inNew(Supplier<T> work) {
        try {
            tx.begin();
        } catch (Exception e) {
            throw new PersistenceException("cannot begin a transaction", e);
        }
        boolean committed = false;
        try {
            T result = work.get();
            tx.commit();
            committed = true;
            return result;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PersistenceException("the transaction did not commit", e);
        } finally {
            if (!committed) {
                rollback();
            }
        }
    }

    private void rollback() {
        try {
            if (tx.getStatus() != Status.STATUS_NO_TRANSACTION) {
                tx.rollback();
            }
        } catch (SystemException | RuntimeException e) {
            // the transaction is gone either way; the original failure is what the caller needs
        }
    }
}
