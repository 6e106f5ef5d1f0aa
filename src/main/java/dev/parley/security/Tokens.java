package dev.parley.security;

import dev.parley.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;

/** Makes the application's one {@link TokenService} from the settings. */
@ApplicationScoped
public class Tokens {

    @Inject
    Settings settings;

    private TokenService service;

    @PostConstruct
    void init() {
        service = new TokenService(SigningKey.load(settings.tokenKey(), settings.dataDir()), settings.tokenTtl(),
                Clock.systemUTC());
    }

    @Produces
    public TokenService tokenService() {
        return service;
    }
}
