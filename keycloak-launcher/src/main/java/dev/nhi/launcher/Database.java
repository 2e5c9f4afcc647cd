package dev.nhi.launcher;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** Where Keycloak keeps its data: H2 in memory, or a fresh PostgreSQL database dropped on close. */
public interface Database extends AutoCloseable {

    Map<String, String> serverOptions();

    @Override
    void close() throws SQLException;

    static Database h2InMemory() {
        return new Database() {
            @Override
            public Map<String, String> serverOptions() {
                return Map.of("db", "dev-mem");
            }

            @Override
            public void close() {
            }
        };
    }

    /** H2 on disk under Keycloak's data directory: survives restarts (the demo). */
    static Database h2File() {
        return new Database() {
            @Override
            public Map<String, String> serverOptions() {
                return Map.of("db", "dev-file");
            }

            @Override
            public void close() {
            }
        };
    }

    /** A uniquely named database on the server at {@code host:port} (trust authentication, user postgres). */
    static Database freshPostgres(String host, int port) throws SQLException {
        return new FreshPostgres(host, port);
    }

    final class FreshPostgres implements Database {
        private static final String USER = "postgres";
        private final String adminUrl;
        private final String url;
        private final String name;

        FreshPostgres(String host, int port) throws SQLException {
            this.adminUrl = "jdbc:postgresql://" + host + ":" + port + "/postgres";
            this.name = "nhi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            this.url = "jdbc:postgresql://" + host + ":" + port + "/" + name;
            execute("CREATE DATABASE " + name);
        }

        public String jdbcUrl() {
            return url;
        }

        /** A connection to this database as {@code postgres}, for a test or benchmark that reads or edits it. */
        public Connection connect() throws SQLException {
            return connect(url);
        }

        @Override
        public Map<String, String> serverOptions() {
            return Map.of("db", "postgres", "db-url", url, "db-username", USER, "db-password", USER);
        }

        @Override
        public void close() throws SQLException {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }

        private static Connection connect(String url) throws SQLException {
            Properties credentials = new Properties();
            credentials.setProperty("user", USER);
            // The driver directly: DriverManager does not see it from every test class loader.
            return new org.postgresql.Driver().connect(url, credentials);
        }

        private void execute(String sql) throws SQLException {
            try (Connection c = connect(adminUrl);
                 Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new SQLException("PostgreSQL at " + adminUrl + " refused '" + sql + "': " + e.getMessage(), e);
            }
        }
    }
}
