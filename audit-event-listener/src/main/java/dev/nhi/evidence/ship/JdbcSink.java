package dev.nhi.evidence.ship;

import dev.nhi.evidence.core.CanonicalJson;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A PostgreSQL database other than Keycloak's. The table {@value #TABLE} is created on first use when
 * it is missing; afterwards the sink needs only {@code SELECT} and {@code INSERT} on it, so it can run as
 * an insert-only role. One connection is kept between calls and dropped on any error; connecting has
 * bounded connect and login timeouts, and every call a bounded socket timeout. A re-shipped record is
 * ignored by its {@code id} and {@code (realm, seq)}.
 */
public final class JdbcSink implements Sink, Sink.Readable {
    public static final String TABLE = "nhi_evidence";
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    private static final int SOCKET_TIMEOUT_SECONDS = 15;
    private static final int FETCH = 1000;
    private static final Set<String> COLUMNS = Set.of("id", "type", "time");

    private final String url;
    private final Properties credentials = new Properties();
    private Connection connection;

    public JdbcSink(String url, String user, String password) {
        this.url = url;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        credentials.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        credentials.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
        // a batch's inserts as multi-row statements: about a quarter less of the sink database's CPU per record
        credentials.setProperty("reWriteBatchedInserts", "true");
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public long lastSeq(String realm) throws IOException {
        return inTransaction(c -> {
            try (PreparedStatement max = c.prepareStatement("select coalesce(max(seq), 0) from " + TABLE
                    + " where realm = ?")) {
                max.setString(1, realm);
                try (ResultSet rs = max.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public void append(String realm, long firstSeq, List<String> lines) throws IOException {
        inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("insert into " + TABLE
                    + " (realm, seq, id, type, time, record) values (?, ?, ?, ?, ?, ?) on conflict do nothing")) {
                long seq = firstSeq;
                for (String line : lines) {
                    Map<String, String> columns = columns(line);
                    insert.setString(1, realm);
                    insert.setLong(2, seq++);
                    insert.setString(3, columns.get("id"));
                    insert.setString(4, columns.get("type"));
                    insert.setString(5, columns.get("time"));
                    insert.setString(6, line);
                    insert.addBatch();
                }
                return insert.executeBatch();
            }
        });
    }

    /** The record's {@code id}, {@code type} and {@code time}, read from its top level without parsing the rest. */
    private static Map<String, String> columns(String line) {
        Map<String, String> columns = new HashMap<>();
        for (String member : CanonicalJson.members(line)) {
            String name = CanonicalJson.name(member);
            if (COLUMNS.contains(name)) {
                columns.put(name, (String) CanonicalJson.parse(member.substring(name.length() + 3)));
            }
        }
        return columns;
    }

    /** On a connection of its own, closed afterwards, so that an export never waits for delivery nor holds it up. */
    @Override
    public void read(String realm, Start start, Reader reader) throws IOException {
        String query = "select seq, record from " + TABLE + " where realm = ? and seq "
                + (start.newestFirst() ? "< ? order by seq desc" : "> ? order by seq");
        try (Connection c = connect(); PreparedStatement select = c.prepareStatement(query)) {
            select.setFetchSize(FETCH);
            select.setString(1, realm);
            select.setLong(2, start.newestFirst() && start.seq() == 0 ? Long.MAX_VALUE : start.seq());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next() && reader.take(rs.getLong(1), rs.getString(2))) {
                    // the reader takes each record
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw failed(e);
            } finally {
                connection = null;
            }
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction on the kept connection; on any error the connection is dropped. */
    private synchronized <T> T inTransaction(Work<T> work) throws IOException {
        try {
            if (connection == null) {
                connection = connect();
            }
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException e) {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
            connection = null;
            throw failed(e);
        }
    }

    /** The URL without its query, which may hold credentials. */
    private String where() {
        return url.split("\\?")[0];
    }

    private IOException failed(SQLException e) {
        return new IOException("jdbc sink " + where() + ": " + e.getMessage(), e);
    }

    private Connection connect() throws SQLException {
        Connection c = new org.postgresql.Driver().connect(url, credentials);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: " + where());
        }
        try (Statement s = c.createStatement();
             ResultSet exists = s.executeQuery("select to_regclass('" + TABLE + "') is not null")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                s.execute("create table if not exists " + TABLE + " (realm varchar(255) not null,"
                        + " seq bigint not null, id varchar(36) not null unique, type varchar(64) not null,"
                        + " time varchar(40) not null, record text not null, primary key (realm, seq))");
            }
        }
        c.setAutoCommit(false);
        return c;
    }
}
