package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The evidence table in Keycloak's database cannot be written: another session holds an exclusive lock on
 * it, as a stuck migration or a DBA's maintenance would. Everything else Keycloak needs still works, so it
 * could issue tokens; the extension must refuse each one instead, within the record's wait, and issue again
 * once the table is free. Every token received before and after has its record, and the chain verifies.
 * PostgreSQL only (the H2 run excludes the tag). Cutting Keycloak's whole database would not show this:
 * Keycloak 26 reads the client session from the database on every client-credentials request, and fails
 * the request itself before any listener runs.
 */
@Tag("database-access")
class UnwritableEvidenceIT {
    private static final String REFUSAL = "the token's evidence record could not be written, so the request fails:"
            + " not written within 10 s";

    @Test
    void noTokenLeavesWhileItsRecordCannotBeCommitted() throws Exception {
        try (Database.FreshPostgres db = (Database.FreshPostgres) Database.freshPostgres("127.0.0.1", 5432)) {
            OwnServer own = OwnServer.on(db, "unwritable");
            try (KeycloakServer server = KeycloakServer.start(own.options())) {
                NhiRealm realm = OwnServer.realm(server, db, "unwritable");
                String clientId = realm.registeredClient("locked");
                Set<String> received = new HashSet<>();
                for (int i = 0; i < 5; i++) {
                    received.add(realm.token(clientId).assertIssued().claims().getJWTID());
                }

                List<String> answers = new ArrayList<>();
                try (Connection dba = db.connect();
                     Statement lock = dba.createStatement()) {
                    dba.setAutoCommit(false);
                    lock.execute("LOCK TABLE NHI_EVIDENCE IN ACCESS EXCLUSIVE MODE");
                    for (int i = 0; i < 2; i++) {
                        OAuthClient.Result result = tokenOrFailure(realm, clientId, answers);
                        assertThat(result == null || !result.issued())
                                .as("request %d while the evidence table is locked: %s", i + 1, answers).isTrue();
                    }
                    dba.rollback();
                }
                assertThat(Files.readString(server.log())).as("the refusals came from the evidence layer")
                        .contains(REFUSAL);

                NhiRealm.await(Duration.ofSeconds(60), () -> tokenOrFailure(realm, clientId, answers),
                        r -> r != null && r.issued(), "a token once the table is free");
                for (int i = 0; i < 5; i++) {
                    received.add(realm.token(clientId).assertIssued().claims().getJWTID());
                }

                Path realmDir = own.evidence().resolve(realm.name);
                NhiRealm.await(Duration.ofSeconds(60), () -> EvidenceFiles.issuedTokenIds(realmDir),
                        ids -> ids.containsAll(received), "a record for each of the " + received.size()
                                + " tokens received");
                NhiRealm.await(Duration.ofSeconds(30), () -> EvidenceFiles.verify(own.evidence(), realm.name),
                        v -> v.exit() == 0, "the chain to verify");
            }
        }
    }

    /** The token endpoint's answer, or null (noted in {@code answers}) when it was not an OAuth response. */
    private static OAuthClient.Result tokenOrFailure(NhiRealm realm, String clientId, List<String> answers) {
        try {
            OAuthClient.Result result = realm.token(clientId);
            answers.add(result.issued() ? "issued" : result.status() + " " + result.error().getCode());
            return result;
        } catch (AssertionError | RuntimeException e) {
            answers.add(e.getMessage());
            return null;
        }
    }
}
