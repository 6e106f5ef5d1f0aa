package dev.parley.store;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * The data source, defined by the application so that the same WAR runs on an H2 file (the default) or on
 * PostgreSQL: every attribute comes from MicroProfile Config (see META-INF/microprofile-config.properties
 * for the defaults), so {@code PARLEY_DB_URL} and friends switch databases without a rebuild.
 */
@DataSourceDefinition(
        name = Database.JNDI_NAME,
        className = "${MPCONFIG=parley.db.class}",
        url = "${MPCONFIG=parley.db.url}",
        user = "${MPCONFIG=parley.db.user}",
        password = "${MPCONFIG=parley.db.password}",
        minPoolSize = 2,
        maxPoolSize = 32,
        // A connection is checked (Connection.isValid) before use, at most every 2 s; one that failed makes
        // the pool drop all, so that a database that restarted is used again at once.
        properties = {
            "fish.payara.is-connection-validation-required=true",
            "fish.payara.connection-validation-method=custom-validation",
            "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
            "fish.payara.validate-atmost-once-period-in-seconds=2",
            "fish.payara.fail-all-connections=true",
            // Each pooled connection keeps its 32 last prepared statements: H2 caches no query FOR UPDATE, and
            // parsed the commit loop's room locks again at every commit (performance.md, item 32). The type is
            // blank for the LRU cache: Payara reads a missing one as the class name "null" (Payara issue 6647).
            "fish.payara.statement-cache-size=32",
            "fish.payara.statement-cache-type= "
        })
@Singleton
public class Database {

    public static final String JNDI_NAME = "java:app/jdbc/parley";
}
