package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keycloak is killed with SIGKILL while a client loops over client-credentials requests. After a restart,
 * every token the client received has its {@code token.issued} record in the sink, and the chain verifies.
 * PostgreSQL only (the H2 run excludes the tag): dev-mode H2 delays its writes, so it promises nothing
 * across a killed process.
 */
@Tag("database-access")
class CrashIT {
    @Test
    void everyTokenReceivedBeforeAKillHasItsEvidenceAfterTheRestart() throws Exception {
        try (Database db = Database.freshPostgres("127.0.0.1", 5432)) {
            OwnServer own = OwnServer.on(db, "crash");
            Path evidence = own.evidence();
            KeycloakServer first = KeycloakServer.start(own.options());
            NhiRealm realm = OwnServer.realm(first, db, "crash");
            String clientId = realm.registeredClient("looping");

            Set<String> received = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            Thread loop = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        OAuthClient.Result result = realm.token(clientId);
                        if (result.issued()) {
                            received.add(result.claims().getJWTID());
                        }
                    } catch (RuntimeException | AssertionError e) {
                        // the server is gone: requests fail until the loop stops
                    }
                }
            }, "token-loop");
            loop.start();
            NhiRealm.await(Duration.ofSeconds(60), received::size, n -> n >= 50, "50 tokens before the kill");
            first.crash();
            stop.set(true);
            loop.join(TimeUnit.SECONDS.toMillis(30));
            Set<String> beforeKill = new HashSet<>(received);

            try (KeycloakServer second = KeycloakServer.start(own.options())) {
                Set<String> recorded = NhiRealm.await(Duration.ofSeconds(60), () -> EvidenceFiles.issuedTokenIds(evidence.resolve(
                        realm.name)), ids -> ids.containsAll(beforeKill), "a record for each of the "
                        + beforeKill.size() + " tokens received");
                assertThat(recorded).containsAll(beforeKill);
                NhiRealm.await(Duration.ofSeconds(30), () -> EvidenceFiles.verify(evidence, realm.name),
                        v -> v.exit() == 0, "the restarted chain to be sealed and to verify");
            }
        }
    }
}
