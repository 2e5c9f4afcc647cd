package dev.nhi.evidence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of a test's own on the machine's PostgreSQL server ({@code 127.0.0.1:5432}, user
 * {@code postgres}, trust), as the integration tests use it: created by the constructor, dropped by
 * {@link #close}. A test that uses it fails when the server is not there.
 */
public final class TestPostgres implements AutoCloseable {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = "postgres";

    private final String name;

    /** @param prefix the start of the database's name, which ends in a random part */
    public TestPostgres(String prefix) throws SQLException {
        name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        onServer("create database " + name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return SERVER + name;
    }

    public String user() {
        return USER;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    /** A connection to the server's own {@code postgres} database, to look at the server or change it. */
    public static Connection server() throws SQLException {
        return DriverManager.getConnection(SERVER + "postgres", USER, "");
    }

    @Override
    public void close() throws SQLException {
        onServer("drop database if exists " + name + " with (force)");
    }

    private static void onServer(String sql) throws SQLException {
        try (Connection c = server(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
