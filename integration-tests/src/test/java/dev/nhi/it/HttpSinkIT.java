package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.EvidenceReceiver;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The http sink against a receiver inside the test that checks each batch's HMAC over the bytes it
 * received, and that fails for a while under load: afterwards every record has arrived once, in order.
 */
class HttpSinkIT {
    private static final String SECRET = "a-test-hmac-secret-of-some-length";
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void aFailingReceiverDelaysDeliveryAndGetsEveryRecordSignedAndInOrder() throws Exception {
        try (EvidenceReceiver receiver = new EvidenceReceiver(SECRET); Database db = OwnServer.runDatabase()) {
            OwnServer own = OwnServer.on(db, "http");
            own.options().option("spi-events-listener--nhi-evidence--sinks", "file,http")
                    .option("spi-events-listener--nhi-evidence--http-url", receiver.url())
                    .option("spi-events-listener--nhi-evidence--http-hmac-secret", SECRET);
            try (KeycloakServer server = KeycloakServer.start(own.options())) {
                NhiRealm realm = OwnServer.realm(server, db, "http");
                String clientId = realm.registeredClient("posted");
                Set<String> received = ConcurrentHashMap.newKeySet();
                received.add(realm.token(clientId).assertIssued().claims().getJWTID());
                NhiRealm.await(Duration.ofSeconds(30), () -> tokenIds(receiver), ids -> ids.containsAll(received),
                        "the first record at the receiver");

                receiver.failing(true);
                long end = System.nanoTime() + OUTAGE.toNanos();
                while (System.nanoTime() < end) {
                    received.add(realm.token(clientId).assertIssued().claims().getJWTID());
                    Thread.sleep(50);
                }
                assertThat(receiver.refused()).as("the sink kept trying").isPositive();
                OwnServer.assertBacklogLogged(server, realm, "http");
                NhiRealm.await(Duration.ofSeconds(30), () -> EvidenceFiles.issuedTokenIds(own.evidence()
                        .resolve(realm.name)), ids -> ids.containsAll(received), "the file sink to have every record"
                        + " while the http sink fails");
                receiver.failing(false);

                NhiRealm.await(Duration.ofSeconds(90), () -> tokenIds(receiver), ids -> ids.containsAll(received),
                        "every token's record at the receiver after the outage");
                assertThat(receiver.badSignatures()).isZero();
                List<JsonNode> accepted = receiver.accepted();
                for (int i = 0; i < accepted.size(); i++) {
                    assertThat(accepted.get(i).get("seq").asLong()).as("in order, without gaps").isEqualTo(i + 1L);
                }
                JsonNode status = RealmAdmin.expect(realm.rest.get(realm.api("/evidence/status"), realm.adminToken()),
                        200, "status").json();
                assertThat(status.get("sinks").get("http").get("lastSeq").asLong()).isPositive();
                assertThat(status.get("sinks").has("file")).isTrue();
            }
        }
    }

    private static Set<String> tokenIds(EvidenceReceiver receiver) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (JsonNode record : receiver.accepted()) {
            if (record.get("type").asText().equals("token.issued")) {
                ids.add(record.get("details").get("tokenId").asText());
            }
        }
        return ids;
    }
}
