package dev.parley.security;

import dev.parley.config.Settings;
import dev.parley.room.Clocks;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Makes the application's one {@link TokenService} from the settings. */
@ApplicationScoped
public class Tokens {

    @Inject
    Settings settings;

    @Inject
    AccountStore accounts;

    private TokenService service;

    @PostConstruct
    void init() {
        service = new TokenService(SigningKey.load(settings.tokenKey(), settings.dataDir()), settings.tokenTtl(),
                Clocks.NODE.wall(), this::generation);
    }

    /** A guest has no account, and its tokens no generation but 0. */
    private int generation(String user) {
        return UserNames.isGuest(user) ? 0 : accounts.find(user).map(Account::generation).orElse(0);
    }

    @Produces
    public TokenService tokenService() {
        return service;
    }
}
