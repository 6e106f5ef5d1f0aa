package dev.parley.security;

import dev.parley.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Makes the application's {@link AccountService} and creates the first admin when the application starts. */
@ApplicationScoped
public class Accounts {

    private final PasswordHasher hasher = new PasswordHasher();

    @Inject
    Settings settings;

    @Inject
    AccountStore store;

    @Inject
    TokenService tokens;

    void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
        accountService().ensureAdmin(settings.adminUser(), settings.adminPassword());
    }

    @Produces
    public PasswordHasher passwordHasher() {
        return hasher;
    }

    @Produces
    public AccountService accountService() {
        return new AccountService(store, hasher, tokens, settings.guestsEnabled());
    }
}
