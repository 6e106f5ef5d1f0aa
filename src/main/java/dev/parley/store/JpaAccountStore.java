package dev.parley.store;

import dev.parley.security.Account;
import dev.parley.security.AccountStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Accounts in the database. */
@ApplicationScoped
public class JpaAccountStore implements AccountStore {

    /** Names in one query's IN list: databases bound a statement's parameters (PostgreSQL at 32,767). */
    private static final int GENERATIONS_PER_QUERY = 500;

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
    @Transactional
    public Map<String, Integer> generations(Collection<String> users) {
        List<String> names = List.copyOf(users);
        Map<String, Integer> generations = new HashMap<>();
        for (int from = 0; from < names.size(); from += GENERATIONS_PER_QUERY) {
            em.createNamedQuery(AccountEntity.GENERATIONS, Object[].class)
                    .setParameter("users", names.subList(from, Math.min(names.size(), from + GENERATIONS_PER_QUERY)))
                    .getResultStream()
                    .forEach(row -> generations.put((String) row[0], ((Number) row[1]).intValue()));
        }
        return generations;
    }

    @Override
    @Transactional
    public List<Listed> list(String prefix, String after, int limit) {
        return em.createNamedQuery(AccountEntity.LISTED, AccountEntity.class)
                .setParameter("prefix", JpaMessageStore.literally(prefix.toLowerCase(Locale.ROOT)) + "%")
                .setParameter("after", after == null ? "" : after)
                .setMaxResults(limit)
                .getResultStream()
                .map(a -> new Listed(a.toAccount(), a.createdAt().toInstant(ZoneOffset.UTC)))
                .toList();
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
