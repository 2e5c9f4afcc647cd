package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The checkpoint signing key replaced between two runs of the server, as an operator does after a key was
 * exposed, or on schedule. The chain goes on under the new key; the file sink's key file keeps both public
 * keys, so the whole chain verifies from it, and with the new key alone the verifier names the first
 * checkpoint of the old one.
 */
class SigningKeyRotationIT {
    private static final String SIGNING_KEY = "spi-events-listener--nhi-evidence--signing-key";

    @Test
    void theOldKeysCheckpointsStillVerifyAfterTheKeyIsReplaced() throws Exception {
        try (Database db = OwnServer.restartableRunDatabase()) {
            OwnServer own = OwnServer.on(db, "rotation");
            Path work = own.evidence().getParent();
            KeyPair old = Checkpoints.generate();
            KeyPair replacement = Checkpoints.generate();
            Files.createDirectories(work);
            Path oldKey = Files.writeString(work.resolve("old-signing-key.pem"), Checkpoints.privatePem(old.getPrivate()));
            KeycloakServer.Options options = own.options().ports(KeycloakServer.freePort(), KeycloakServer.freePort());

            NhiRealm realm;
            String clientId;
            try (KeycloakServer first = KeycloakServer.start(options.option(SIGNING_KEY, oldKey.toString()))) {
                realm = OwnServer.realm(first, db, "rotation");
                clientId = realm.registeredClient("rotating");
                realm.token(clientId).assertIssued();
                NhiRealm.await(Duration.ofSeconds(30), () -> EvidenceFiles.verify(own.evidence(), realm.name),
                        v -> v.exit() == 0 && issued(own, realm) == 1, "the first token's record, sealed by the old key");
            }

            Path newKey = Files.writeString(work.resolve("new-signing-key.pem"),
                    Checkpoints.privatePem(replacement.getPrivate()));
            try (KeycloakServer second = KeycloakServer.start(options.option(SIGNING_KEY, newKey.toString()))) {
                realm.token(clientId).assertIssued();
                EvidenceFiles.Verification both = NhiRealm.await(Duration.ofSeconds(30),
                        () -> EvidenceFiles.verify(own.evidence(), realm.name),
                        v -> v.exit() == 0 && issued(own, realm) == 2, "the second token's record, sealed by the new key");
                String oldId = Checkpoints.keyId(old.getPublic());
                String newId = Checkpoints.keyId(replacement.getPublic());
                assertThat(both.output()).contains("checkpoint keys " + oldId + ", " + newId);
                List<String> signers = EvidenceFiles.records(own.evidence().resolve(realm.name)).stream()
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

    private static long issued(OwnServer own, NhiRealm realm) {
        return EvidenceFiles.records(own.evidence().resolve(realm.name)).stream()
                .map(r -> r.path("type").asText()).filter("token.issued"::equals).count();
    }
}
