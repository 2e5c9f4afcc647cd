package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.evidence.core.Checkpoints;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two runs of one server, each ended by a clean stop, with the checkpoint signing key replaced in between,
 * as an operator does after a key was exposed, or on schedule.
 * <ul>
 * <li>What a node holds in memory is written when it stops, before Keycloak closes its database and caches:
 * the chain's unsealed tail gets its checkpoint, and the last-use times are flushed. Both intervals are an
 * hour here, so nothing but the shutdown can have written them.</li>
 * <li>The chain goes on under the new key. The file sink's key file keeps both public keys, so the whole
 * chain verifies from it; with the new key alone the verifier names the old key's checkpoint.</li>
 * </ul>
 */
class RestartIT {
    private static final String SIGNING_KEY = "spi-events-listener--nhi-evidence--signing-key";

    @Test
    void aCleanStopSealsTheChainAndFlushesLastUseAndTheChainOutlivesItsKey() throws Exception {
        try (Database db = OwnServer.restartableRunDatabase()) {
            OwnServer own = OwnServer.on(db, "restart");
            Path work = own.evidence().getParent();
            KeyPair old = Checkpoints.generate();
            KeyPair replacement = Checkpoints.generate();
            String oldId = Checkpoints.keyId(old.getPublic());
            String newId = Checkpoints.keyId(replacement.getPublic());
            Files.createDirectories(work);
            Path oldKey = Files.writeString(work.resolve("old-signing-key.pem"), Checkpoints.privatePem(old.getPrivate()));
            Path newKey = Files.writeString(work.resolve("new-signing-key.pem"),
                    Checkpoints.privatePem(replacement.getPrivate()));
            KeycloakServer.Options options = own.options().ports(KeycloakServer.freePort(), KeycloakServer.freePort())
                    .option("spi-events-listener--nhi-evidence--checkpoint-interval", "3600")
                    .option("spi-nhi-store--nhi-jpa--usage-flush-interval", "3600");
            Path chain;
            NhiRealm realm;
            String clientId;
            try (KeycloakServer first = KeycloakServer.start(options.option(SIGNING_KEY, oldKey.toString()))) {
                realm = OwnServer.realm(first, db, "restart");
                chain = own.evidence().resolve(realm.name);
                clientId = realm.registeredClient("restarting");
                String tokenId = realm.token(clientId).assertIssued().claims().getJWTID();
                NhiRealm.await(Duration.ofSeconds(30), () -> EvidenceFiles.issuedTokenIds(chain),
                        ids -> ids.contains(tokenId), "the token's record in the sink");
                EvidenceFiles.Verification running = EvidenceFiles.verify(own.evidence(), realm.name);
                assertThat(running.exit()).as(running.output()).isEqualTo(1);
                assertThat(running.output()).contains("not sealed by a checkpoint");
            }

            EvidenceFiles.Verification stopped = EvidenceFiles.verify(own.evidence(), realm.name);
            assertThat(stopped.exit()).as("sealed at shutdown: " + stopped.output()).isZero();
            List<JsonNode> records = EvidenceFiles.records(chain);
            assertThat(records.get(records.size() - 1).path("type").asText()).isEqualTo(Checkpoints.TYPE);

            try (KeycloakServer second = KeycloakServer.start(options.option(SIGNING_KEY, newKey.toString()))) {
                assertThat(realm.record(clientId).path("lastUsedAt").isTextual())
                        .as("the last use, flushed at shutdown").isTrue();
                realm.token(clientId).assertIssued();
                assertThat(Files.readString(second.log())).contains("the evidence signing key is now " + newId);
            }

            EvidenceFiles.Verification both = EvidenceFiles.verify(own.evidence(), realm.name);
            assertThat(both.exit()).as("sealed by the new key at the second stop: " + both.output()).isZero();
            assertThat(EvidenceFiles.count(chain, "token.issued")).isEqualTo(2);
            assertThat(both.output()).contains("checkpoint keys " + oldId + ", " + newId);
            List<String> signers = EvidenceFiles.records(chain).stream()
                    .filter(r -> r.path("type").asText().equals(Checkpoints.TYPE))
                    .map(r -> r.path("details").path("keyId").asText()).distinct().toList();
            assertThat(signers).containsExactly(oldId, newId);

            Path newOnly = Files.writeString(work.resolve("new-public-key.pem"),
                    Checkpoints.publicPem(replacement.getPublic()));
            EvidenceFiles.Verification partial = EvidenceFiles.verify(own.evidence(), realm.name, "--public-key",
                    newOnly.toString());
            assertThat(partial.exit()).as(partial.output()).isEqualTo(1);
            assertThat(partial.output()).contains("checkpoint signed with key " + oldId
                    + ", which is not among the keys given (" + newId + ")");
        }
    }
}
