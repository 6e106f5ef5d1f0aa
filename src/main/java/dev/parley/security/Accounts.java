package dev.parley.security;

import dev.parley.cluster.ClusterBus;
import dev.parley.config.Settings;
import dev.parley.room.Clocks;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Makes the application's {@link AccountService}, {@link LoginAttempts}, {@link HashTurns}, {@link Sanctions} and
 * {@link Blocks}, and creates the first admin when the application starts.
 */
@ApplicationScoped
public class Accounts {

    private final PasswordHasher hasher = new PasswordHasher();
    /** One node's, for logins, registrations, new passwords and room passwords alike. */
    private final HashTurns turns = new HashTurns(HashTurns.HALF_THE_CORES);
    private LoginAttempts attempts;
    /** The node's count of guest tokens per address, which every {@link AccountService} made here shares. */
    private AddressCap guestSignIns;
    private Sanctions sanctions;
    private Blocks blocks;

    @Inject
    Settings settings;

    @Inject
    AccountStore store;

    @Inject
    TokenService tokens;

    @Inject
    SanctionStore sanctionStore;

    @Inject
    BlockStore blockStore;

    @Inject
    ClusterBus bus;

    @PostConstruct
    void assemble() {
        sanctions = new Sanctions(sanctionStore, Clocks.NODE.wall());
        blocks = new Blocks(blockStore);
        // A minute of attempts is timed as the connections are: a step of the wall clock neither ends nor holds it.
        attempts = new LoginAttempts(turns, settings.loginsPerAddressPerMinute(), Clocks.NODE.steady());
        guestSignIns = new AddressCap(settings.guestsPerAddressPerMinute(), Clocks.NODE.steady());
    }

    /** After the schema migrations, which observe the same event first. */
    void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
        accountService().ensureAdmin(settings.adminPassword());
        accountService().warnOfReservedAccounts();
        sanctions.reload();
        blocks.reload();
    }

    @Produces
    public Sanctions sanctions() {
        return sanctions;
    }

    /** Also the {@link dev.parley.room.Blocking} that delivery asks. */
    @Produces
    public Blocks blocks() {
        return blocks;
    }

    @Produces
    public PasswordHasher passwordHasher() {
        return hasher;
    }

    @Produces
    public HashTurns hashTurns() {
        return turns;
    }

    @Produces
    public LoginAttempts loginAttempts() {
        return attempts;
    }

    @Produces
    public AccountService accountService() {
        return new AccountService(store, hasher, tokens, settings.guestsEnabled(), guestSignIns, settings.adminUser(),
                bus);
    }
}
