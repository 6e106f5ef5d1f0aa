package dev.parley.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Real H2 files for the store's JDBC writes, and the same data sources with connections that fail or count. */
final class TestDataSources {

    private TestDataSources() {
    }

    /** A new H2 file in {@code dir}, migrated to the newest schema. */
    static DataSource migratedH2(Path dir) {
        JdbcDataSource file = new JdbcDataSource();
        file.setURL("jdbc:h2:file:" + dir.resolve("parley"));
        file.setUser("parley");
        file.setPassword("parley");
        SchemaMigrations.migrate(file);
        return file;
    }

    static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * The real database, whose connections fail in one call, as a connection that broke would: {@code method}
     * with {@code argument} as its only argument, or with none when that is null.
     */
    static DataSource failing(DataSource real, String method, Object argument, SQLException failure) {
        return wrapped(real, connection -> (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, called, args) -> {
                    boolean asked = argument == null ? args == null : args != null && args.length == 1
                            && argument.equals(args[0]);
                    if (called.getName().equals(method) && asked) {
                        throw failure;
                    }
                    return invoke(connection, called, args);
                }));
    }

    /** The real database, counting the connections taken from it: a transaction each, in the store's writes. */
    static DataSource counting(DataSource real, AtomicInteger connections) {
        return wrapped(real, connection -> {
            connections.incrementAndGet();
            return connection;
        });
    }

    private static DataSource wrapped(DataSource real, UnaryOperator<Connection> wrap) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, called, args) -> {
                    Object result = invoke(real, called, args);
                    return result instanceof Connection connection ? wrap.apply(connection) : result;
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
