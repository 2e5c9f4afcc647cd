package dev.nhi.evidence.ship;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.TestPostgres;
import dev.nhi.evidence.core.CanonicalJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The jdbc sink's read for the export, on a database of the test's own ({@link TestPostgres}). The delivery
 * side is tested against a real server in {@code JdbcSinkIT}.
 */
class JdbcSinkTest {
    private static final String REALM = "acme";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final TestPostgres database = new TestPostgres("nhi_sink_");
    private final JdbcSink sink = new JdbcSink(database.url(), database.user(), null);

    JdbcSinkTest() throws SQLException {
    }

    @AfterEach
    void drop() throws Exception {
        sink.close();
        database.close();
    }

    /**
     * A delivery held up inside its transaction (here by another transaction's uncommitted row with the same
     * seq) holds the sink's kept connection. An export reads on a connection of its own: it gets what is
     * committed at once, and closes that connection afterwards.
     */
    @Test
    void anExportNeitherWaitsForAHeldUpDeliveryNorKeepsItsConnection() throws Exception {
        sink.append(REALM, 1, List.of(record(1)));
        try (Connection blocker = database.connect()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("insert into " + JdbcSink.TABLE + " (realm, seq, id, type, time, record) values ('" + REALM
                        + "', 2, '" + UUID.randomUUID() + "', 'token.issued', '2026-12-01T00:00:00Z', '{}')");
            }
            CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> {
                try {
                    sink.append(REALM, 2, List.of(record(2)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitBackends("waiting for a lock", "wait_event_type = 'Lock'", 1);
            int connectionsBefore = count("true");

            List<Integer> connectionsWhileReading = new ArrayList<>();
            assertThat(readAll(() -> connectionsWhileReading.add(count("true")))).containsExactly(1L);
            assertThat(connectionsWhileReading).containsExactly(connectionsBefore + 1);
            // a closed connection's backend leaves the list once its process has ended
            awaitBackends("connected after the export", "true", connectionsBefore);
            assertThat(delivery).isNotDone();

            blocker.rollback();
            delivery.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(readAll(() -> { })).containsExactly(1L, 2L);
        assertThat(sink.lastSeq(REALM)).isEqualTo(2);
    }

    /**
     * The seqs an export reads, oldest first, bounded in time: a read that waited for delivery fails here.
     * {@code whileReading} runs as each record is handed out.
     */
    private List<Long> readAll(Runnable whileReading) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            List<Long> seqs = new ArrayList<>();
            try {
                sink.read(REALM, Sink.Start.after(0), (seq, line) -> {
                    whileReading.run();
                    return seqs.add(seq);
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return seqs;
        }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static String record(long seq) {
        return CanonicalJson.write(Map.of("id", UUID.randomUUID().toString(), "seq", seq, "type", "token.issued",
                "time", "2026-12-01T00:00:0" + seq + "Z"));
    }

    private void awaitBackends(String what, String condition, int expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int found = count(condition); found != expected; found = count(condition)) {
            assertThat(System.nanoTime()).as("%d backends %s, not %d", found, what, expected).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Backends connected to the test's database that meet {@code condition}, this query's own not counted. */
    private int count(String condition) {
        try (Connection c = TestPostgres.server();
             PreparedStatement select = c.prepareStatement("select count(*) from pg_stat_activity where datname = ?"
                     + " and pid <> pg_backend_pid() and " + condition)) {
            select.setString(1, database.name());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
