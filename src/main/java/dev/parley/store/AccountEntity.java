package dev.parley.store;

import dev.parley.security.Account;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** A registered account; the user name is the key. Roles are few and fixed, kept as one comma list. */
@Entity
@Table(name = "account")
@NamedQuery(name = AccountEntity.LISTED,
        query = "select a from AccountEntity a where lower(a.username) like :prefix escape '\\'"
                + " and a.username > :after order by a.username")
@NamedQuery(name = AccountEntity.GENERATIONS,
        query = "select a.username, a.generation from AccountEntity a where a.username in :users")
@NamedQuery(name = AccountEntity.REPLACE_PASSWORD,
        query = "update AccountEntity a set a.passwordHash = :newHash, a.generation = a.generation + 1"
                + " where a.username = :user and a.passwordHash = :expectedHash")
public class AccountEntity {

    static final String REPLACE_PASSWORD = "Account.replacePassword";
    static final String GENERATIONS = "Account.generations";
    static final String LISTED = "Account.listed";

    @Id
    @Column(length = 64)
    private String username;

    @Column(name = "password_hash", nullable = false, length = 200)
    private String passwordHash;

    @Column(nullable = false, length = 200)
    private String roles;

    /** Of the account's tokens: a token of an older one is no longer accepted. */
    @Column(name = "token_generation", nullable = false)
    private int generation;

    /** UTC. */
    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    protected AccountEntity() {
    }

    AccountEntity(Account account, LocalDateTime createdAt) {
        this.username = account.user();
        this.passwordHash = account.passwordHash();
        this.roles = String.join(",", account.roles());
        this.generation = account.generation();
        this.createdAt = createdAt;
    }

    LocalDateTime createdAt() {
        return createdAt;
    }

    Account toAccount() {
        Set<String> set = Arrays.stream(roles.split(",")).filter(r -> !r.isEmpty()).collect(Collectors.toSet());
        return new Account(username, passwordHash, set, generation);
    }
}
