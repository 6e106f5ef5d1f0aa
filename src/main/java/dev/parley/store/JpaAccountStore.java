package dev.parley.store;

import dev.parley.security.Account;
import dev.parley.security.AccountStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Accounts in the database. */
@ApplicationScoped
public class JpaAccountStore implements AccountStore {

    @PersistenceContext
    EntityManager em;

    @Inject
    Transactions transactions;

    @Override
    @Transactional
    public Optional<Account> find(String user) {
        return Optional.ofNullable(em.find(AccountEntity.class, user)).map(AccountEntity::toAccount);
    }

    @Override
    public boolean create(Account account) {
        // Two registrations of one name race to the primary key: the loser's retry finds the winner's row.
        return transactions.retryingOnce(() -> {
            if (em.find(AccountEntity.class, account.user()) != null) {
                return false;
            }
            em.persist(new AccountEntity(account, JpaRoomStore.now()));
            em.flush();
            return true;
        });
    }

    @Override
    public Optional<Account> replacePassword(String user, String expectedHash, String newHash) {
        return transactions.inNew(() -> {
            int replaced = em.createNamedQuery(AccountEntity.REPLACE_PASSWORD)
                    .setParameter("user", user)
                    .setParameter("expectedHash", expectedHash)
                    .setParameter("newHash", newHash)
                    .executeUpdate();
            return replaced == 0 ? Optional.empty()
                    : Optional.ofNullable(em.find(AccountEntity.class, user)).map(AccountEntity::toAccount);
        });
    }
}
