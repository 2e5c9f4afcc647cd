package dev.nhi.evidence.jpa;

import dev.nhi.evidence.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;

/** PostgreSQL, where the writer stores a batch in one call: a database of the test's own ({@link TestPostgres}). */
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
}
