package dev.nhi.evidence.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL, where the writer stores a batch in one call, and where the drain's reads are checked against
 * the rows the database read for them: a database of the test's own ({@link TestPostgres}).
 */
final class ChainAtWriteOnPostgresTest extends ChainAtWriteTest {
    private final TestPostgres database = new TestPostgres("nhi_chain_");

    ChainAtWriteOnPostgresTest() throws SQLException {
    }

    @Override
    Connection connect() throws SQLException {
        return database.connect();
    }

    @Override
    void drop() throws SQLException {
        database.close();
    }

    /**
     * While no node drains (all were down), change records pile up in the outbox. Each batch the drain
     * chains must cost the database that batch, not the pile after it.
     */
    @Test
    void aBatchOfALongOutboxReadsTheBatchNotTheOutbox() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            // Stored out of ordinal order, as reused space leaves them, and small enough to sort in memory: told
            // nothing of the batch's size, PostgreSQL then reads and sorts them all.
            s.execute("insert into NHI_EVIDENCE_OUTBOX (ORDINAL, ID, REALM_ID, REALM, FIELDS, CREATED_AT) select"
                    + " g, gen_random_uuid(), 'r-a', 'acme', repeat('x', 200), 0 from generate_series(1, 5000) g"
                    + " order by random()");
            s.execute("analyze NHI_EVIDENCE_OUTBOX");
            c.setAutoCommit(false);

            assertThat(EvidenceStore.unchained(c, 10)).extracting(EvidenceStore.OutboxRow::ordinal)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
            assertThat(rowsRead(s, "nhi_evidence_outbox")).as("rows the database read for a batch of 10 of 5,000"
                    + " waiting").isLessThanOrEqualTo(20);
        }
    }

    /**
     * After a long sink outage, thousands of records wait. Each batch the drain reads must cost the database
     * that batch, not the backlog after it: reading and sorting the whole backlog for every batch would make
     * the backlog drain in quadratic time.
     */
    @Test
    void aBatchOfALongBacklogReadsTheBatchNotTheBacklog() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("insert into NHI_EVIDENCE (REALM_ID, SEQ, REALM, RECORD, CREATED_AT) select 'r-a', g, 'acme',"
                    + " repeat('x', 1000), 0 from generate_series(1, 5000) g");
            s.execute("analyze NHI_EVIDENCE");
            c.setAutoCommit(false);

            assertThat(EvidenceStore.pending(c, "r-a", 1000, 10)).extracting(EvidenceStore.Chained::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1001, 1010).boxed().toList());
            assertThat(rowsRead(s, "nhi_evidence")).as("rows the database read for a batch of 10 of 4,000 waiting")
                    .isLessThanOrEqualTo(20);
        }
    }

    /** Rows the database read from {@code table} in the current transaction, by scans and by index. */
    private static long rowsRead(Statement s, String table) throws SQLException {
        try (ResultSet read = s.executeQuery("select pg_stat_get_xact_tuples_returned('" + table + "'::regclass)"
                + " + pg_stat_get_xact_tuples_fetched('" + table + "'::regclass)")) {
            read.next();
            return read.getLong(1);
        }
    }
}
