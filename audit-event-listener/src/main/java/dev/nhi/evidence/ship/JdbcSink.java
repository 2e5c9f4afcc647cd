package dev.nhi.evidence.ship;

import dev.nhi.evidence.core.CanonicalJson;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL database other than Keycloak's. The table {@value #TABLE} is created on first use when
 * it is missing; afterwards the sink needs only {@code SELECT} and {@code INSERT} on it, so it can run as
 * an insert-only role. Every call connects with bounded connect, login and socket timeouts; a re-shipped
 * record is ignored by its {@code id} and {@code (realm, seq)}.
 */
public final class JdbcSink implements Sink {
    public static final String TABLE = "nhi_evidence";
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    private static final int SOCKET_TIMEOUT_SECONDS = 15;

    private final String url;
    private final Properties credentials = new Properties();
    private volatile boolean schemaReady;

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
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public long lastSeq(String realm) throws IOException {
        try (Connection c = connect();
             PreparedStatement max = c.prepareStatement("select coalesce(max(seq), 0) from " + TABLE + " where realm = ?")) {
            max.setString(1, realm);
            try (ResultSet rs = max.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IOException("jdbc sink " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void append(String realm, long firstSeq, List<String> lines) throws IOException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into " + TABLE
                    + " (realm, seq, id, type, time, record) values (?, ?, ?, ?, ?, ?) on conflict do nothing")) {
                long seq = firstSeq;
                for (String line : lines) {
                    Map<?, ?> record = (Map<?, ?>) CanonicalJson.parse(line);
                    insert.setString(1, realm);
                    insert.setLong(2, seq++);
                    insert.setString(3, (String) record.get("id"));
                    insert.setString(4, (String) record.get("type"));
                    insert.setString(5, (String) record.get("time"));
                    insert.setString(6, line);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IOException("jdbc sink " + url + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        Connection c = new org.postgresql.Driver().connect(url, credentials);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        if (!schemaReady) {
            try (Statement s = c.createStatement();
                 ResultSet exists = s.executeQuery("select to_regclass('" + TABLE + "') is not null")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    s.execute("create table if not exists " + TABLE + " (realm varchar(255) not null,"
                            + " seq bigint not null, id varchar(36) not null unique, type varchar(64) not null,"
                            + " time varchar(40) not null, record text not null, primary key (realm, seq))");
                }
            }
            schemaReady = true;
        }
        return c;
    }
}
