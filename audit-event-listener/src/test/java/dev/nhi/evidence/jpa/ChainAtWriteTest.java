package dev.nhi.evidence.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nhi.evidence.core.CanonicalJson;
import dev.nhi.evidence.core.ChainVerifier;
import dev.nhi.evidence.core.Checkpoints;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token records' writer chains as it stores, on the tables of Keycloak's database: H2 (dev mode) and
 * PostgreSQL, where the writer stores a batch in one call.
 */
abstract class ChainAtWriteTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private final KeyPair keys = ed25519();
    private Connection db;
    private final EvidenceStore.KnownHeads known = new EvidenceStore.KnownHeads();

    /** A new connection to the test's own database, in auto-commit. */
    abstract Connection connect() throws SQLException;

    /** Removes the test's database, once its connections are closed. */
    abstract void drop() throws SQLException;

    @BeforeEach
    void schema() throws SQLException {
        db = connect();
        try (Statement s = db.createStatement()) {
            // as the Liquibase changesets create them
            s.execute("create table NHI_EVIDENCE (REALM_ID varchar(36) not null, SEQ bigint not null,"
                    + " REALM varchar(255) not null, RECORD varchar(16000) not null, CREATED_AT bigint not null,"
                    + " primary key (REALM_ID, SEQ))");
            s.execute("create table NHI_EVIDENCE_HEAD (REALM_ID varchar(36) primary key, REALM varchar(255) not null,"
                    + " SEQ bigint not null, HASH varchar(64) not null, SEALED_SEQ bigint not null,"
                    + " SEALED_AT bigint not null)");
            s.execute("create table NHI_EVIDENCE_DAILY (REALM_ID varchar(36) not null, TALLY_DAY varchar(10) not null,"
                    + " ISSUED bigint not null, DENIED bigint not null, primary key (REALM_ID, TALLY_DAY))");
        }
        db.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
        drop();
    }

    @Test
    void eachRealmsRecordsContinueItsChainAcrossBatches() throws SQLException {
        write(db, known, 1000, token("r-a", "acme", "token.issued"), token("r-b", "beta", "token.issued"),
                token("r-a", "acme", "token.denied"));
        write(db, known, 1000, token("r-a", "acme", "token.issued"));

        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(3);
        assertThat(verify(acme, "acme")).isNull();
        assertThat(verify(lines("r-b"), "beta")).isNull();
        assertThat(head("r-a")).containsExactly(3L, 0L);
    }

    @Test
    void theDrainListsTheRealmsWithRecordsPastWhatItShippedByName() throws SQLException {
        write(db, known, 1000, token("r-a", "acme", "token.issued"), token("r-b", "beta", "token.issued"),
                token("r-a", "acme", "token.denied"));
        assertThat(EvidenceStore.realmsWithPending(db, Map.of())).containsExactly(Map.entry("r-a", "acme"),
                Map.entry("r-b", "beta"));
        assertThat(EvidenceStore.realmsWithPending(db, Map.of("r-a", 2L, "r-b", 0L)))
                .containsExactly(Map.entry("r-b", "beta"));
        assertThat(EvidenceStore.realmsWithPending(db, Map.of("r-a", 2L, "r-b", 1L))).isEmpty();
        write(db, known, 1000, token("r-a", "acme", "token.issued"));
        assertThat(EvidenceStore.realmsWithPending(db, Map.of("r-a", 2L, "r-b", 1L)))
                .containsExactly(Map.entry("r-a", "acme"));
    }

    @Test
    void aCheckpointSealsTheChainWhereOneFallsDue() throws SQLException {
        write(db, known, 2, token("r-a", "acme", "token.issued"), token("r-a", "acme", "token.issued"),
                token("r-a", "acme", "token.issued"));

        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(4);
        assertThat(acme.get(2)).contains("\"type\":\"" + Checkpoints.TYPE + "\"");
        ChainVerifier verifier = new ChainVerifier(List.of(keys.getPublic()), "acme");
        acme.forEach(verifier::accept);
        assertThat(verifier.finish(true)).isNull();
        assertThat(verifier.checkpoints()).isEqualTo(1);
        assertThat(head("r-a")).containsExactly(4L, 3L);
    }

    @Test
    void tokenRecordsAreTalliedByDay() throws SQLException {
        write(db, known, 1000, token("r-a", "acme", "token.issued"), token("r-a", "acme", "token.issued"),
                token("r-a", "acme", "token.denied"));
        write(db, known, 1000, token("r-a", "acme", "token.issued"));

        try (PreparedStatement select = db.prepareStatement("select ISSUED, DENIED from NHI_EVIDENCE_DAILY"
                + " where REALM_ID = 'r-a' and TALLY_DAY = '2026-11-30'"); ResultSet rs = select.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getLong(1), rs.getLong(2))).containsExactly(3L, 1L);
        }
    }

    /**
     * Another writer (another node, or the drain) moved the head since this writer last saw it: the write
     * fails and changes nothing, and written again it continues the chain from the table.
     */
    @Test
    void aWriterWhoseHeadMovedMeanwhileWritesAgainFromTheTable() throws SQLException {
        write(db, known, 1000, token("r-a", "acme", "token.issued"));
        try (Connection other = connect()) {
            other.setAutoCommit(false);
            write(other, new EvidenceStore.KnownHeads(), 1000, token("r-a", "acme", "token.denied"));
        }

        assertThatThrownBy(() -> write(db, known, 1000, token("r-a", "acme", "token.issued")))
                .isInstanceOf(SQLException.class).hasMessageContaining("moved").hasMessageContaining("seq 1");
        db.rollback();
        known.forget();
        write(db, known, 1000, token("r-a", "acme", "token.issued"));

        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(3);
        assertThat(acme.get(1)).contains("token.denied");
        assertThat(verify(acme, "acme")).isNull();
    }

    /**
     * Two writers at once: the second, knowing the head from before, waits for its row lock, fails once the
     * first commits, then goes on from the committed head.
     */
    @Test
    void seqFollowsCommitOrderAcrossConnections() throws Exception {
        EvidenceStore.KnownHeads theirs = new EvidenceStore.KnownHeads();
        try (Connection second = connect()) {
            second.setAutoCommit(false);
            write(second, theirs, 1000, token("r-a", "acme", "token.issued"));
            Map<String, ChainHeadEntity> moved = EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme",
                    "token.issued")), keys, 1000, NOW, known);
            CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
                for (int attempt = 1; ; attempt++) {
                    try {
                        write(second, theirs, 1000, token("r-a", "acme", "token.denied"));
                        return attempt;
                    } catch (SQLException e) {
                        try {
                            second.rollback();
                        } catch (SQLException rollback) {
                            throw new IllegalStateException(rollback);
                        }
                        theirs.forget();
                    }
                }
            });
            Thread.sleep(300);
            assertThat(other).isNotDone();
            db.commit();
            known.stored(moved);
            assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        }
        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(3);
        assertThat(acme.get(2)).contains("token.denied");
        assertThat(verify(acme, "acme")).isNull();
    }

    /**
     * A head read again after a failed write (or for the first time) waits for a move in progress, such as
     * the drain's, and is read once that commits: the write that follows cannot find it moved.
     */
    @Test
    void aHeadReadWhileAnotherTransactionMovesItIsReadOnceThatCommits() throws Exception {
        write(db, known, 1000, token("r-a", "acme", "token.issued"));
        try (Connection drain = connect()) {
            drain.setAutoCommit(false);
            EvidenceStore.chainAtWrite(drain, List.of(token("r-a", "acme", "token.denied")), keys, 1000, NOW,
                    new EvidenceStore.KnownHeads());
            known.forget();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    write(db, known, 1000, token("r-a", "acme", "token.issued"));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(writer).as("waits for the head's row lock").isNotDone();
            drain.commit();
            writer.get(10, TimeUnit.SECONDS);
        }
        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(3);
        assertThat(acme.get(1)).contains("token.denied");
        assertThat(verify(acme, "acme")).isNull();
    }

    @Test
    void aBatchRolledBackLeavesNoRecordAndNoHeadMoved() throws SQLException {
        write(db, known, 1000, token("r-a", "acme", "token.issued"));
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued")), keys, 1000, NOW, known);
        db.rollback();
        known.forget();
        write(db, known, 1000, token("r-a", "acme", "token.denied"));

        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(2);
        assertThat(verify(acme, "acme")).isNull();
        assertThat(head("r-a")).containsExactly(2L, 0L);
    }

    /** As the writer does: chain, commit, remember the heads. */
    private void write(Connection c, EvidenceStore.KnownHeads heads, int checkpointRecords,
                       EvidenceStore.NewRecord... records) throws SQLException {
        Map<String, ChainHeadEntity> moved = EvidenceStore.chainAtWrite(c, List.of(records), keys, checkpointRecords,
                NOW, heads);
        c.commit();
        heads.stored(moved);
    }

    private static EvidenceStore.NewRecord token(String realmId, String realm, String type) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", UUID.randomUUID().toString());
        fields.put("time", NOW.toString());
        fields.put("type", type);
        fields.put("subject", Map.of("realm", realm, "clientId", "payments"));
        fields.put("actor", Map.of("client", "payments"));
        fields.put("decision", null);
        fields.put("details", Map.of());
        fields.put("controls", List.of());
        return new EvidenceStore.NewRecord((String) fields.get("id"), realmId, realm, CanonicalJson.write(fields),
                NOW.toEpochMilli());
    }

    private List<String> lines(String realmId) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("select RECORD from NHI_EVIDENCE where REALM_ID = ?"
                + " order by SEQ")) {
            select.setString(1, realmId);
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return lines;
        }
    }

    /** {seq, sealed seq} of the realm's chain head. */
    private List<Long> head(String realmId) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("select SEQ, SEALED_SEQ from NHI_EVIDENCE_HEAD"
                + " where REALM_ID = ?")) {
            select.setString(1, realmId);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return List.of(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    private ChainVerifier.Failure verify(List<String> lines, String realm) {
        ChainVerifier verifier = new ChainVerifier(List.of(keys.getPublic()), realm);
        lines.forEach(verifier::accept);
        return verifier.finish(true);
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
