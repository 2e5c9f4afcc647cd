package dev.nhi.evidence.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.core.CanonicalJson;
import dev.nhi.evidence.core.ChainVerifier;
import dev.nhi.evidence.core.Checkpoints;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
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

/** The token records' writer chains as it stores, on the tables of Keycloak's dev-mode database (H2). */
class ChainAtWriteTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private final KeyPair keys = ed25519();
    private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    private Connection db;

    @BeforeEach
    void schema() throws SQLException {
        db = DriverManager.getConnection(url);
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
    }

    @Test
    void eachRealmsRecordsContinueItsChainAcrossBatches() throws SQLException {
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued"), token("r-b", "beta", "token.issued"),
                token("r-a", "acme", "token.denied")), keys, 1000, NOW);
        db.commit();
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued")), keys, 1000, NOW);
        db.commit();

        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(3);
        assertThat(verify(acme, "acme")).isNull();
        assertThat(verify(lines("r-b"), "beta")).isNull();
        assertThat(head("r-a")).containsExactly(3L, 0L);
    }

    @Test
    void aCheckpointSealsTheChainWhereOneFallsDue() throws SQLException {
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued"), token("r-a", "acme", "token.issued"),
                token("r-a", "acme", "token.issued")), keys, 2, NOW);
        db.commit();

        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(4);
        assertThat(acme.get(2)).contains("\"type\":\"" + Checkpoints.TYPE + "\"");
        ChainVerifier verifier = new ChainVerifier(keys.getPublic(), "acme");
        acme.forEach(verifier::accept);
        assertThat(verifier.finish(true)).isNull();
        assertThat(verifier.checkpoints()).isEqualTo(1);
        assertThat(head("r-a")).containsExactly(4L, 3L);
    }

    @Test
    void tokenRecordsAreTalliedByDay() throws SQLException {
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued"), token("r-a", "acme", "token.issued"),
                token("r-a", "acme", "token.denied")), keys, 1000, NOW);
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued")), keys, 1000, NOW);
        db.commit();

        try (PreparedStatement select = db.prepareStatement("select ISSUED, DENIED from NHI_EVIDENCE_DAILY"
                + " where REALM_ID = 'r-a' and TALLY_DAY = '2026-11-30'"); ResultSet rs = select.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getLong(1), rs.getLong(2))).containsExactly(3L, 1L);
        }
    }

    /** A second writer (another node, or the drain) waits for the head until the first commits, then continues. */
    @Test
    void seqFollowsCommitOrderAcrossConnections() throws Exception {
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued")), keys, 1000, NOW);
        db.commit();
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued")), keys, 1000, NOW);
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            try (Connection second = DriverManager.getConnection(url)) {
                second.setAutoCommit(false);
                EvidenceStore.chainAtWrite(second, List.of(token("r-a", "acme", "token.denied")), keys, 1000, NOW);
                second.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(other).isNotDone();
        db.commit();
        other.get(10, TimeUnit.SECONDS);

        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(3);
        assertThat(acme.get(2)).contains("token.denied");
        assertThat(verify(acme, "acme")).isNull();
    }

    @Test
    void aBatchRolledBackLeavesNoRecordAndNoHeadMoved() throws SQLException {
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued")), keys, 1000, NOW);
        db.commit();
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.issued")), keys, 1000, NOW);
        db.rollback();
        EvidenceStore.chainAtWrite(db, List.of(token("r-a", "acme", "token.denied")), keys, 1000, NOW);
        db.commit();

        List<String> acme = lines("r-a");
        assertThat(acme).hasSize(2);
        assertThat(verify(acme, "acme")).isNull();
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
        ChainVerifier verifier = new ChainVerifier(keys.getPublic(), realm);
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
