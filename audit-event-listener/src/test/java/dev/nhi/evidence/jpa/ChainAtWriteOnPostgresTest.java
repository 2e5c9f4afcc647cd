package dev.nhi.evidence.jpa;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * PostgreSQL, where the writer stores a batch in one call: a database of its own on the machine's server
 * ({@code 127.0.0.1:5432}, user {@code postgres}, trust), as the integration tests use it; the test fails
 * when the server is not there.
 */
final class ChainAtWriteOnPostgresTest extends ChainAtWriteTest {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private final String name = "nhi_chain_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    ChainAtWriteOnPostgresTest() throws SQLException {
        admin("create database " + name);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(SERVER + name, "postgres", "");
    }

    @Override
    void drop() throws SQLException {
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
