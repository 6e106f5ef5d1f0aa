package dev.parley.security;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.NodeEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/** Registration, login, new passwords, guests and the first admin: the account rules in plain Java. */
public final class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class.getName());

    /** The contract: 3–32 of letters, digits, {@code _ - .}. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
    /** The start of a name an operator looks for: up to a whole name's characters. */
    private static final Pattern NAME_START = Pattern.compile("[A-Za-z0-9_.-]{0,32}");
    /** The most accounts one list holds. */
    public static final int MAX_LISTED = 200;
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = PasswordHasher.MAX_LENGTH;
    public static final String ADMIN = "admin";
    /** What a password must be, for answers that refuse one. */
    public static final String PASSWORD_RULE = "a password is " + MIN_PASSWORD + " to " + MAX_PASSWORD
            + " characters";
    /** Reads of the account an operator's new password makes at most, when the user's own keep coming between. */
    private static final int RESET_READS = 3;
    /** What a deleted account keeps of a password hash: a mark no password matches (not of the hasher's form). */
    static final String DELETED = "deleted";

    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final boolean guestsEnabled;
    /**
     * Guest tokens a client address may have in a minute. A guest token hashes nothing and needs no account, and
     * every guest name is a user of its own, with its own caps (rooms, blocks, connections): without a count per
     * address one client could sign in guests as fast as it sends requests and pass every per-user cap by their
     * sum.
     */
    private final AddressCap guestSignIns;
    /** The first admin's name ({@code parley.admin.user}). */
    private final String admin;
    /** Tells every node whose connections a new password signed out. */
    private final ClusterBus bus;

    public AccountService(AccountStore accounts, PasswordHasher hasher, TokenService tokens, boolean guestsEnabled,
                          AddressCap guestSignIns, String admin, ClusterBus bus) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.tokens = tokens;
        this.guestsEnabled = guestsEnabled;
        this.guestSignIns = guestSignIns;
        this.admin = admin;
        this.bus = bus;
    }

    public enum GuestOutcome { ISSUED, DISABLED, BAD_NICKNAME, TOO_MANY }

    /** @param issued the token, when {@code ISSUED} */
    public record GuestLogin(GuestOutcome outcome, TokenService.Issued issued) {
    }

    /**
     * A token for the guest {@code guest-<nickname>} asked for from the client's address, unless guests are
     * switched off or the address had its minute's guests (counted last: a refused nickname is not counted).
     */
    public GuestLogin guest(String nickname, String address) {
        if (!guestsEnabled) {
            return new GuestLogin(GuestOutcome.DISABLED, null);
        }
        if (!UserNames.isValidNickname(nickname)) {
            return new GuestLogin(GuestOutcome.BAD_NICKNAME, null);
        }
        if (!guestSignIns.tryCount(address)) {
            return new GuestLogin(GuestOutcome.TOO_MANY, null);
        }
        return new GuestLogin(GuestOutcome.ISSUED, tokens.issue(UserNames.guest(nickname), Set.of(Identity.GUEST)));
    }

    /** Guest tokens one client address may have in any 60 seconds. */
    public int guestsPerAddress() {
        return guestSignIns.perMinute();
    }

    public enum Registration { CREATED, TAKEN, BAD_NAME, BAD_PASSWORD }

    /**
     * A new account. The admin's name is taken in any case, even before the admin exists: whoever took it first
     * would keep the admin from being made, or pass for them as {@code Admin}.
     */
    public Registration register(String user, String password) {
        if (!isValidUsername(user)) {
            return Registration.BAD_NAME;
        }
        if (!isValidPassword(password)) {
            return Registration.BAD_PASSWORD;
        }
        if (user.equalsIgnoreCase(admin) || !accounts.create(new Account(user, hasher.hash(password), Set.of()))) {
            return Registration.TAKEN;
        }
        LOG.info(() -> "registered " + user);
        return Registration.CREATED;
    }

    /**
     * A token for the right name and password; empty otherwise. An unknown name costs the same hash as a known
     * one, so that the answer and its time do not tell which names exist.
     */
    public Optional<TokenService.Issued> login(String user, String password) {
        Optional<Account> account = registered(user);
        boolean matches = hasher.matches(password, account.map(Account::passwordHash).orElse(null));
        if (!matches) {
            LOG.info(() -> "failed login for " + loggable(user));
            return Optional.empty();
        }
        return Optional.of(tokens.issue(account.get().user(), account.get().roles(), account.get().generation()));
    }

    public enum PasswordOutcome { CHANGED, REFUSED, BAD_PASSWORD }

    /** @param issued a token of the new generation, when {@code CHANGED} */
    public record PasswordChange(PasswordOutcome outcome, TokenService.Issued issued) {
    }

    /**
     * The user's new password, given the current one: every token issued before stops being accepted, and every
     * connection that said hello with one is closed with 4501, on every node; the answer carries a token of the
     * new generation. A wrong name or password is {@code REFUSED} as a login is, after as much hashing. The same
     * password again is a new password too: it signs out everywhere.
     */
    public PasswordChange changePassword(String user, String password, String newPassword) {
        if (!isValidPassword(newPassword)) {
            return new PasswordChange(PasswordOutcome.BAD_PASSWORD, null);
        }
        Optional<Account> account = registered(user);
        String hash = account.map(Account::passwordHash).orElse(null);
        if (!hasher.matches(password, hash)) {
            LOG.info(() -> "refused a new password for " + loggable(user));
            return new PasswordChange(PasswordOutcome.REFUSED, null);
        }
        // Another change since the read replaced the hash that the password matched: this one is refused.
        Optional<Account> changed = accounts.replacePassword(user, hash, hasher.hash(newPassword));
        if (changed.isEmpty()) {
            return new PasswordChange(PasswordOutcome.REFUSED, null);
        }
        signOut(changed.get(), false);
        return new PasswordChange(PasswordOutcome.CHANGED,
                tokens.issue(user, changed.get().roles(), changed.get().generation()));
    }

    public enum Deletion { DELETED, REFUSED, ADMIN }

    /**
     * The user deletes their account, given its password: its tokens stop being accepted and its connections are
     * closed (4501), on every node, and nobody signs in with it again. The name stays taken, so that nobody else
     * comes to write under it. A wrong name or password is {@code REFUSED} as a login is; the first admin's
     * account is not deleted ({@code ADMIN}): the server would have no administrator to make one again.
     */
    public Deletion delete(String user, String password) {
        Optional<Account> account = registered(user);
        String hash = account.map(Account::passwordHash).orElse(null);
        if (!hasher.matches(password, hash)) {
            LOG.info(() -> "refused to delete the account of " + loggable(user));
            return Deletion.REFUSED;
        }
        if (user.equalsIgnoreCase(admin)) {
            return Deletion.ADMIN;
        }
        // A new password since the read replaced the hash that the password matched: refused, as a change is.
        Optional<Account> deleted = accounts.replacePassword(user, hash, DELETED);
        if (deleted.isEmpty()) {
            return Deletion.REFUSED;
        }
        signOut(deleted.get(), true);
        return Deletion.DELETED;
    }

    /** {@code RACED}: the user's own changes came between the reads and writes of an operator's, each time. */
    public enum Reset { SET, NO_ACCOUNT, BAD_PASSWORD, RACED }

    /**
     * An operator's new password for a user who forgot theirs: as {@link #changePassword}, without the current
     * one and without a token (the user signs in with the new password).
     */
    public Reset resetPassword(String user, String newPassword) {
        if (!isValidPassword(newPassword)) {
            return Reset.BAD_PASSWORD;
        }
        return overwrite(user, hasher.hash(newPassword));
    }

    public enum Erasure { DELETED, NO_ACCOUNT, ADMIN, RACED }

    /**
     * An operator deletes the user's account (for a user who asked and cannot sign in, say): as {@link #delete},
     * without the password. The first admin's is not deleted ({@code ADMIN}).
     */
    public Erasure erase(String user) {
        if (admin.equalsIgnoreCase(user)) {
            return Erasure.ADMIN;
        }
        return switch (overwrite(user, DELETED)) {
            case SET -> Erasure.DELETED;
            case NO_ACCOUNT -> Erasure.NO_ACCOUNT;
            default -> Erasure.RACED;
        };
    }

    /** An operator's new hash, whatever the current one: {@code SET}, {@code NO_ACCOUNT} or {@code RACED}. */
    private Reset overwrite(String user, String newHash) {
        for (int read = 0; read < RESET_READS; read++) {
            Optional<Account> account = registered(user);
            if (account.isEmpty()) {
                return Reset.NO_ACCOUNT;
            }
            // Empty when the user changed it since the read: read again, the operator's word is the last.
            Optional<Account> changed = accounts.replacePassword(user, account.get().passwordHash(), newHash);
            if (changed.isPresent()) {
                signOut(changed.get(), DELETED.equals(newHash));
                return Reset.SET;
            }
        }
        return Reset.RACED;
    }

    /**
     * The account of a name that may be registered and was not deleted; none for anything else, without asking the
     * store for a name that may not be registered.
     */
    private Optional<Account> registered(String user) {
        return isValidUsername(user) ? accounts.find(user).filter(account -> !DELETED.equals(account.passwordHash()))
                : Optional.empty();
    }

    /** The name for the log: a name that may not be registered could be anything, a line break say. */
    private static String loggable(String user) {
        return isValidUsername(user) ? user : "an invalid name";
    }

    /**
     * Every node closes the connections of the account's tokens of before. The password is changed (or the account
     * deleted) whether or not the word goes out: a node that does not hear it finds out at its next check of the
     * generations.
     */
    private void signOut(Account changed, boolean deleted) {
        LOG.info(() -> (deleted ? "deleted the account of " : "new password for ") + changed.user()
                + ": its tokens of before are no longer accepted");
        try {
            bus.publish(new NodeEvent.SignedOut(changed.user(), changed.generation(), deleted));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not tell the nodes that " + changed.user() + " signed out; they find out at"
                    + " their next check", e);
        }
    }

    /** An account as an operator sees it: a deleted one keeps its name, which nobody may register again. */
    public record Listing(String user, boolean admin, Instant created, boolean deleted) {
    }

    /**
     * Up to {@code limit} (1 to {@value #MAX_LISTED}) accounts whose name starts with {@code prefix} in any case,
     * after the name {@code after} (null: from the first), in name order: the next page starts after the last.
     *
     * @throws IllegalArgumentException for a prefix no name starts with, or a limit out of range
     */
    public List<Listing> list(String prefix, String after, int limit) {
        if (!NAME_START.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix: a name's start, up to 32 letters, digits, '_', '.' or '-'");
        }
        if (limit < 1 || limit > MAX_LISTED) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LISTED);
        }
        if (after != null && !USERNAME.matcher(after).matches()) {
            throw new IllegalArgumentException("after: the last name of the page before");
        }
        return accounts.list(prefix, after, limit).stream()
                .map(listed -> new Listing(listed.account().user(), listed.account().roles().contains(ADMIN),
                        listed.created(), DELETED.equals(listed.account().passwordHash())))
                .toList();
    }

    /** Whether the name is that of an account that was deleted. */
    public boolean isDeleted(String user) {
        return isValidUsername(user) && accounts.find(user).filter(a -> DELETED.equals(a.passwordHash())).isPresent();
    }

    /** Whether the name is somebody's: a guest's (anybody's to take) or an account's. */
    public boolean isKnown(String user) {
        return UserNames.isGuest(user) || isValidUsername(user) && accounts.find(user).isPresent();
    }

    /** The current generation of tokens of each of these users who has an account (guests have none). */
    public Map<String, Integer> generations(Collection<String> users) {
        return accounts.generations(users.stream().filter(AccountService::isValidUsername).toList());
    }

    /**
     * Creates the server's first admin with the configured password, if there is no such account yet. An
     * existing account is left alone: the configured password only ever sets the first one.
     */
    public void ensureAdmin(Optional<String> password) {
        if (!isValidUsername(admin)) {
            // Sign-in takes registered names only: an admin of another name would be made and never get in.
            throw new IllegalStateException("parley.admin.user is \"" + admin + "\": it must be 3 to 32 of A-Z a-z "
                    + "0-9 _ - ., neither starting with guest- nor " + UserNames.RESERVED_IN_WORDS);
        }
        if (password.isEmpty() || password.get().isBlank()) {
            LOG.info(() -> "no admin password is configured (parley.admin.password): no admin account created");
            return;
        }
        if (!isValidPassword(password.get())) {
            throw new IllegalStateException("parley.admin.password must be " + MIN_PASSWORD + " to "
                    + MAX_PASSWORD + " characters");
        }
        Optional<Account> existing = accounts.find(admin);
        if (existing.isPresent() && !existing.get().roles().contains(ADMIN)) {
            LOG.warning(() -> "parley.admin.user names " + admin + ", an account without the admin role: no admin "
                    + "account created (name another user, or give " + admin + " the role in the database)");
        } else if (existing.isEmpty()
                && accounts.create(new Account(admin, hasher.hash(password.get()), Set.of(ADMIN)))) {
            LOG.info(() -> "created the admin account " + admin);
        }
    }

    /**
     * Accounts registered before their names were reserved ({@code jmx} and {@code retention} were not always):
     * they sign in no more, and the operator is told which, to rename them in the database.
     *
     * @return the reserved names that have an account
     */
    public List<String> warnOfReservedAccounts() {
        List<String> found = UserNames.RESERVED.stream().filter(name -> accounts.find(name).isPresent()).toList();
        for (String name : found) {
            LOG.warning(() -> "the account " + name + " has a name the server acts as, reserved since it was made: it "
                    + "signs in no more; rename it in the database (table account) to give it back to its user");
        }
        return found;
    }

    /** Registered names may not look like guests, whose names anybody can ask for, or like the server. */
    public static boolean isValidUsername(String user) {
        return user != null && USERNAME.matcher(user).matches() && !UserNames.isGuest(user)
                && !UserNames.isReserved(user);
    }

    /**
     * At least {@value #MIN_PASSWORD} characters as people count them (code points: four emoji are four, not the
     * eight UTF-16 units Java counts), at most {@value #MAX_PASSWORD} units, the hasher's bound on its work.
     */
    private static boolean isValidPassword(String password) {
        return password != null && password.length() <= MAX_PASSWORD
                && password.codePointCount(0, password.length()) >= MIN_PASSWORD;
    }
}
