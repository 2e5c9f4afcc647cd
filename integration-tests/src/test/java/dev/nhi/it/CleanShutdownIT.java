package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a node holds in memory is written when it stops cleanly, before Keycloak closes its database and
 * caches: the chain's unsealed tail gets its checkpoint, and the last-use times are flushed. Both intervals
 * are an hour here, so nothing but the shutdown can have written them.
 */
class CleanShutdownIT {
    @Test
    void aCleanStopSealsTheChainAndFlushesLastUse() throws Exception {
        try (Database db = OwnServer.restartableRunDatabase()) {
            OwnServer own = OwnServer.on(db, "shutdown");
            KeycloakServer.Options options = own.options().ports(KeycloakServer.freePort(), KeycloakServer.freePort())
                    .option("spi-events-listener--nhi-evidence--checkpoint-interval", "3600")
                    .option("spi-nhi-store--nhi-jpa--usage-flush-interval", "3600");
            NhiRealm realm;
            String clientId;
            try (KeycloakServer server = KeycloakServer.start(options)) {
                realm = OwnServer.realm(server, db, "shutdown");
                clientId = realm.registeredClient("stopping");
                String tokenId = realm.token(clientId).assertIssued().claims().getJWTID();
                NhiRealm.await(Duration.ofSeconds(30), () -> EvidenceFiles.issuedTokenIds(own.evidence()
                        .resolve(realm.name)), ids -> ids.contains(tokenId), "the token's record in the sink");
                EvidenceFiles.Verification running = EvidenceFiles.verify(own.evidence(), realm.name);
                assertThat(running.exit()).as(running.output()).isEqualTo(1);
                assertThat(running.output()).contains("not sealed by a checkpoint");
            }

            EvidenceFiles.Verification stopped = EvidenceFiles.verify(own.evidence(), realm.name);
            assertThat(stopped.exit()).as("sealed at shutdown: " + stopped.output()).isZero();
            List<JsonNode> records = EvidenceFiles.records(own.evidence().resolve(realm.name));
            assertThat(records.get(records.size() - 1).path("type").asText()).isEqualTo("checkpoint");

            try (KeycloakServer restarted = KeycloakServer.start(options)) {
                assertThat(realm.record(clientId).path("lastUsedAt").isTextual())
                        .as("the last use, flushed at shutdown").isTrue();
            }
        }
    }
}
