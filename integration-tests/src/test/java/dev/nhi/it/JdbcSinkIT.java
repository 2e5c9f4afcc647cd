package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.evidence.core.Checkpoints;
import dev.nhi.evidence.ship.JdbcSink;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import dev.nhi.launcher.TcpProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The jdbc sink, a PostgreSQL database other than Keycloak's, reached through a TCP proxy that the test
 * cuts for 60 s under load: tokens keep being issued without waiting for the sink, and after the outage
 * every record arrives exactly once, in order, matching the tokens the client received (id, exp, scope)
 * and the refusal; the chain verifies with {@code verify --jdbc}, every kind of tampering with the rows is
 * named, and the export reads the records back from the sink. A realm deleted during the outage still has
 * its records delivered and its chain sealed.
 */
class JdbcSinkIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    @Test
    void aSinkOutageDelaysDeliveryAndLosesNothing() throws Exception {
        try (Database.FreshPostgres sinkDb = (Database.FreshPostgres) Database.freshPostgres("127.0.0.1", 5432);
             TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             Database keycloakDb = OwnServer.runDatabase()) {
            String proxied = sinkDb.jdbcUrl().replace("127.0.0.1:5432/", "127.0.0.1:" + proxy.port() + "/");
            OwnServer own = OwnServer.on(keycloakDb, "jdbc");
            Path evidence = own.evidence();
            // jdbc first: the export reads the first readable sink
            own.options().option("spi-events-listener--nhi-evidence--sinks", "jdbc,file")
                    .option("spi-events-listener--nhi-evidence--jdbc-url", proxied)
                    .option("spi-events-listener--nhi-evidence--jdbc-user", "postgres");
            try (KeycloakServer server = KeycloakServer.start(own.options())) {
                NhiRealm realm = OwnServer.realm(server, keycloakDb, "jdbc");
                String clientId = realm.registeredClient("shipped");
                Map<String, OAuthClient.Result> received = new ConcurrentHashMap<>();
                OAuthClient.Result first = realm.token(clientId).assertIssued();
                received.put(first.claims().getJWTID(), first);
                String suspended = realm.registeredClient("refused");
                RealmAdmin.expect(realm.action(suspended, "suspend", "investigation"), 200, "suspend");
                realm.token(suspended).assertDenied("nhi_suspended");
                NhiRealm.await(Duration.ofSeconds(30), () -> issuedRecords(sinkDb, realm.name),
                        ids -> ids.keySet().containsAll(received.keySet()), "the first record in the jdbc sink");

                proxy.cut();
                // A realm deleted while its records wait for the sink: they are shipped all the same, and sealed.
                NhiRealm deleted = OwnServer.realm(server, keycloakDb, "jdbc-deleted");
                String deletedJti = deleted.token(deleted.registeredClient("gone")).assertIssued().claims().getJWTID();
                deleted.delete();
                long end = System.nanoTime() + OUTAGE.toNanos();
                int issuedDuringOutage = 0;
                long slowestNanos = 0;
                while (System.nanoTime() < end) {
                    long asked = System.nanoTime();
                    OAuthClient.Result token = realm.token(clientId).assertIssued();
                    slowestNanos = Math.max(slowestNanos, System.nanoTime() - asked);
                    received.put(token.claims().getJWTID(), token);
                    issuedDuringOutage++;
                    Thread.sleep(50);
                }
                // Not a speed check: a token path that waited for the sink would take its 5 s connect timeout.
                assertThat(Duration.ofNanos(slowestNanos)).as("no token waits for the sink").isLessThan(
                        Duration.ofSeconds(5));
                JsonNode during = RealmAdmin.expect(realm.rest.get(realm.api("/evidence/status"), realm.adminToken()),
                        200, "status").json();
                assertThat(during.get("unshipped").asLong()).as("records wait for the jdbc sink").isPositive();
                assertThat(during.get("oldestWaitingSeconds").asLong()).as("the outage's age, in whole seconds")
                        .isBetween(OUTAGE.toSeconds() - 5, OUTAGE.toSeconds() + 60);
                assertThat(during.get("sinks").get("jdbc").has("error")).isTrue();
                assertThat(issuedDuringOutage).isGreaterThan(100);
                OwnServer.assertBacklogLogged(server, realm, "jdbc");
                proxy.restore();

                Map<String, JsonNode> issued = NhiRealm.await(Duration.ofSeconds(120), () -> issuedRecords(sinkDb,
                        realm.name), ids -> ids.keySet().containsAll(received.keySet()),
                        "every token's record in the jdbc sink after the outage");
                received.forEach((jti, token) -> {
                    JsonNode details = issued.get(jti).get("details");
                    assertThat(details.get("exp").asLong()).as("exp of " + jti)
                            .isEqualTo(token.claims().getExpirationTime().toInstant().getEpochSecond());
                    assertThat(details.get("scope").asText().split(" ")).as("scope of " + jti)
                            .containsExactlyInAnyOrderElementsOf(token.scope().toStringList());
                });
                NhiRealm.await(Duration.ofSeconds(60), () -> issuedRecords(sinkDb, deleted.name),
                        ids -> ids.containsKey(deletedJti), "the deleted realm's token record in the jdbc sink");
                // The refusal, read back through the export, which answers from the jdbc sink here.
                RestClient.Reply denied = RealmAdmin.expect(realm.rest.get(realm.api("/evidence?type=token.denied"
                        + "&clientId=" + suspended), realm.userToken(NhiRealm.AUDITOR)), 200, "export");
                assertThat(denied.raw().split("\n")).hasSize(1);
                assertThat(JSON.readTree(denied.raw()).get("decision").get("code").asText()).isEqualTo("nhi_suspended");
                assertThat(sinkRecords(sinkDb, realm.name)).contains(denied.raw().strip());
                ExportPages.assertPagingBothWays(realm, () -> sinkRecords(sinkDb, realm.name));
                NhiRealm.await(Duration.ofSeconds(30), () -> EvidenceFiles.verify(evidence, realm.name),
                        v -> v.exit() == 0, "the file sink's chain to verify");
                assertExactlyOnceInOrder(sinkDb, realm.name);
                Path key = evidence.resolve("nhi-evidence-public-key.pem");
                EvidenceFiles.Verification jdbc = NhiRealm.await(Duration.ofSeconds(30), () -> verifyJdbc(sinkDb,
                        realm.name, key), v -> v.exit() == 0, "verify --jdbc");
                assertThat(jdbc.output()).contains("intact");
                NhiRealm.await(Duration.ofSeconds(30), () -> verifyJdbc(sinkDb, deleted.name, key),
                        v -> v.exit() == 0, "verify --jdbc of the deleted realm's chain");

                // Whoever can write the sink's table can rewrite the chain; each way of doing it is named.
                List<String> chain = sinkRecords(sinkDb, realm.name);
                PublicKey publicKey = Checkpoints.readPublicKeys(Files.readString(key)).get(0);
                for (Tampering tampering : Tampering.values()) {
                    Tampering.Result tampered = tampering.apply(chain, publicKey);
                    try (Database.FreshPostgres copy = (Database.FreshPostgres) Database.freshPostgres("127.0.0.1", 5432);
                         JdbcSink writer = new JdbcSink(copy.jdbcUrl(), "postgres", null)) {
                        // Rows as the sink writes them: seq by position, whatever the records say.
                        writer.append(realm.name, 1, tampered.lines());
                        EvidenceFiles.Verification result = verifyJdbc(copy, realm.name, key);
                        assertThat(result.exit()).as(tampering + ": " + result.output()).isEqualTo(1);
                        assertThat(result.output()).as(tampering.name())
                                .contains("BROKEN at seq " + tampered.badSeq()).contains(tampering.message);
                    }
                }
            }
        }
    }

    private static EvidenceFiles.Verification verifyJdbc(Database.FreshPostgres db, String realm, Path key) {
        return EvidenceFiles.verifier(List.of("--jdbc", db.jdbcUrl() + "?user=postgres", "--public-key", key.toString(),
                "--realm", realm));
    }

    /** The jdbc sink's {@code token.issued} records of the realm, by token id (none before the table exists). */
    private static Map<String, JsonNode> issuedRecords(Database.FreshPostgres db, String realm) {
        Map<String, JsonNode> records = new HashMap<>();
        try (Connection c = db.connect()) {
            try (ResultSet exists = c.createStatement().executeQuery("select to_regclass('nhi_evidence') is not null")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return records;
                }
            }
            try (PreparedStatement select = c.prepareStatement("select record from nhi_evidence where realm = ?"
                    + " and type = 'token.issued'")) {
                select.setString(1, realm);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        JsonNode record = JSON.readTree(rs.getString(1));
                        records.put(record.get("details").get("tokenId").asText(), record);
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new AssertionError(e);
        }
        return records;
    }

    private static List<String> sinkRecords(Database.FreshPostgres db, String realm) throws SQLException {
        List<String> records = new ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement select = c.prepareStatement("select record from nhi_evidence where realm = ? order by seq")) {
            select.setString(1, realm);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    records.add(rs.getString(1));
                }
            }
        }
        return records;
    }

    private static void assertExactlyOnceInOrder(Database.FreshPostgres db, String realm) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement select = c.prepareStatement("select seq, id from nhi_evidence where realm = ? order by seq")) {
            select.setString(1, realm);
            List<Long> seqs = new ArrayList<>();
            Set<String> ids = ConcurrentHashMap.newKeySet();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                    assertThat(ids.add(rs.getString(2))).as("record " + rs.getString(2) + " arrived once").isTrue();
                }
            }
            for (int i = 0; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).as("seq without gaps").isEqualTo(i + 1L);
            }
        }
    }
}
