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
        maxPoolSize = 32)
@Singleton
public class Database {

    public static final String JNDI_NAME = "java:app/jdbc/parley";
}
