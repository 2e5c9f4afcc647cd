package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every change is one immutable version with who and when; no API alters the past. */
class HistoryIT extends RealmTest {
    HistoryIT() {
        super("history", "enforce");
    }

    @Test
    void oneVersionPerChangeWithWhoAndWhen() {
        Instant start = Instant.now().minusSeconds(1);
        String clientId = realm.registeredClient("history");
        String path = realm.api("/identities/" + clientId);
        Instant newExpiry = Instant.now().plus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        RealmAdmin.expect(realm.rest.patch(path, realm.adminToken(), Map.of("expiresAt", newExpiry.toString())), 200, "patch");
        RealmAdmin.expect(realm.rest.patch(path, realm.userToken(NhiRealm.SECOND_ADMIN),
                Map.of("owner", NhiRealm.AUDITOR)), 200, "transfer");
        RealmAdmin.expect(realm.action(clientId, "suspend", "rotate keys"), 200, "suspend");
        RealmAdmin.expect(realm.action(clientId, "resume", "keys rotated"), 200, "resume");
        RealmAdmin.expect(realm.rest.post(path + "/review", realm.adminToken(),
                Map.of("decision", "keep", "comment", "still needed")), 200, "review");

        JsonNode history = RealmAdmin.expect(realm.rest.get(path + "/history", realm.adminToken()), 200, "history").json();
        assertThat(history.findValuesAsText("change"))
                .containsExactly("registered", "updated", "owner_transferred", "suspended", "resumed", "reviewed");
        for (int i = 0; i < history.size(); i++) {
            JsonNode v = history.get(i);
            assertThat(v.get("version").asLong()).isEqualTo(i + 1);
            assertThat(v.get("record").get("version").asLong()).isEqualTo(i + 1);
            assertThat(Instant.parse(v.get("changedAt").asText())).isAfter(start).isBefore(Instant.now().plusSeconds(1));
        }
        assertThat(history.get(0).get("changedBy").get("username").asText()).isEqualTo("bob");
        assertThat(history.get(1).get("record").get("expiresAt").asText()).isEqualTo(newExpiry.toString());
        assertThat(history.get(2).get("changedBy").get("username").asText()).isEqualTo("dana");
        assertThat(history.get(2).get("record").get("owner").get("username").asText()).isEqualTo("carol");
        assertThat(history.get(3).get("reason").asText()).isEqualTo("rotate keys");
        assertThat(history.get(3).get("record").get("status").asText()).isEqualTo("suspended");
        assertThat(history.get(5).get("reason").asText()).isEqualTo("still needed");
        assertThat(history.get(5).get("record").get("lastReviewedAt").isNull()).isFalse();
        assertThat(realm.record(clientId).get("version").asLong()).isEqualTo(6);
    }

    @Test
    void noApiAltersPastVersions() {
        String clientId = realm.registeredClient("immutable");
        String history = realm.api("/identities/" + clientId + "/history");
        JsonNode before = realm.rest.get(history, realm.adminToken()).json();
        String token = realm.admin.token();
        for (String method : new String[] {"PUT", "PATCH", "DELETE", "POST"}) {
            int status = realm.rest.send(method, history, token, method.equals("DELETE") ? null : "[]").status();
            assertThat(status).as(method + " history").isIn(404, 405);
        }
        assertThat(realm.rest.delete(realm.api("/identities/" + clientId), token).status()).isIn(404, 405);
        assertThat(realm.rest.get(history, realm.adminToken()).json()).isEqualTo(before);
    }

    @Test
    void concurrentChangesAreSerialisedOrRefusedNeverLost() throws Exception {
        String clientId = realm.registeredClient("concurrent");
        String path = realm.api("/identities/" + clientId);
        String token = realm.adminToken();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String purpose = "writer " + i;
                statuses.add(pool.submit(() -> realm.rest.patch(path, token, Map.of("purpose", purpose)).status()));
            }
            int applied = 0;
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isIn(200, 409);
                applied += status.get() == 200 ? 1 : 0;
            }
            JsonNode history = realm.rest.get(path + "/history", token).json();
            assertThat(history).hasSize(1 + applied);
            for (int v = 0; v < history.size(); v++) {
                assertThat(history.get(v).get("version").asLong()).isEqualTo(v + 1);
            }
            assertThat(realm.record(clientId).get("purpose").asText())
                    .isEqualTo(history.get(history.size() - 1).get("record").get("purpose").asText());
        } finally {
            pool.shutdownNow();
        }
    }
}
