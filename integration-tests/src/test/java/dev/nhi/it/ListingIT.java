package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Filters, search, paging and the posture report. */
class ListingIT extends RealmTest {
    private String prodAgent;
    private String expiringSoon;
    private String suspended;
    private String used;

    ListingIT() {
        super("listing", "enforce");
    }

    @BeforeAll
    void realm() {
        prodAgent = realm.newClient("agent");
        Map<String, Object> agent = NhiRealm.registration(prodAgent, Instant.now().plus(100, ChronoUnit.DAYS));
        agent.put("kind", "ai-agent");
        agent.put("environment", "prod");
        agent.put("owner", NhiRealm.AUDITOR);
        agent.put("purpose", "Summarises Support TICKETS");
        RealmAdmin.expect(realm.register(agent), 201, "agent");
        expiringSoon = realm.newClient("soon");
        RealmAdmin.expect(realm.register(NhiRealm.registration(expiringSoon, Instant.now().plus(3, ChronoUnit.DAYS))),
                201, "soon");
        suspended = realm.registeredClient("paused");
        RealmAdmin.expect(realm.action(suspended, "suspend", "listing test"), 200, "suspend");
        for (int i = 0; i < 5; i++) {
            realm.registeredClient("bulk");
        }
        used = realm.registeredClient("used");
    }

    private List<String> clientIds(String query) {
        JsonNode page = RealmAdmin.expect(realm.rest.get(realm.api("/identities" + query), realm.adminToken()), 200,
                query).json();
        return page.get("items").findValuesAsText("clientId");
    }

    @Test
    void filtersSelectExactlyTheMatchingRecords() {
        assertThat(clientIds("?kind=ai-agent")).containsExactly(prodAgent);
        assertThat(clientIds("?environment=prod")).containsExactly(prodAgent);
        assertThat(clientIds("?owner=" + NhiRealm.AUDITOR)).containsExactly(prodAgent);
        assertThat(clientIds("?owner=" + realm.userIds.get(NhiRealm.AUDITOR))).containsExactly(prodAgent);
        assertThat(clientIds("?status=suspended")).containsExactly(suspended);
        assertThat(clientIds("?status=active")).doesNotContain(suspended).hasSize(8);
        assertThat(clientIds("?flag=EXPIRING")).containsExactly(expiringSoon);
        assertThat(clientIds("?search=support%20tickets")).containsExactly(prodAgent);
        assertThat(clientIds("?search=%25")).isEmpty();
        assertThat(clientIds("?status=active&kind=ai-agent&environment=prod")).containsExactly(prodAgent);
    }

    @Test
    void flagsFollowTheSettingsAtQueryTime() {
        assertThat(clientIds("?flag=REVIEW_OVERDUE")).isEmpty();
        assertThat(clientIds("?flag=STALE")).isEmpty();
        realm.settings(Map.of("reviewIntervalDays", 1, "staleAfterDays", 1));
        try {
            // Nothing is overdue after one day yet; the record of a day ago would be. Check the boundary instead:
            JsonNode record = realm.record(expiringSoon);
            assertThat(Instant.parse(record.get("reviewDueAt").asText()))
                    .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
        } finally {
            realm.settings(Map.of("reviewIntervalDays", 90, "staleAfterDays", 90));
        }
        realm.settings(Map.of("expiryWarningDays", 0));
        try {
            assertThat(clientIds("?flag=EXPIRING")).isEmpty();
        } finally {
            realm.settings(Map.of("expiryWarningDays", 14));
        }
    }

    @Test
    void pagesAreStableAndComplete() {
        JsonNode all = realm.rest.get(realm.api("/identities?max=1000"), realm.adminToken()).json();
        long total = all.get("total").asLong();
        assertThat(total).isEqualTo(9);
        List<String> everything = all.get("items").findValuesAsText("clientId");
        List<String> paged = new ArrayList<>();
        for (int first = 0; first < total; first += 3) {
            JsonNode page = realm.rest.get(realm.api("/identities?first=" + first + "&max=3"), realm.adminToken()).json();
            assertThat(page.get("total").asLong()).isEqualTo(total);
            paged.addAll(page.get("items").findValuesAsText("clientId"));
        }
        assertThat(paged).isEqualTo(everything);
        assertThat(everything).isSorted();
    }

    @Test
    void reportCountsByStatusAndFlag() {
        JsonNode report = RealmAdmin.expect(realm.rest.get(realm.api("/identities/report"), realm.adminToken()), 200,
                "report").json();
        assertThat(report.get("byStatus").get("active").asLong()).isEqualTo(8);
        assertThat(report.get("byStatus").get("suspended").asLong()).isEqualTo(1);
        assertThat(report.get("byStatus").get("expired").asLong()).isZero();
        assertThat(report.get("byFlag").get("EXPIRING").asLong()).isEqualTo(1);
        assertThat(report.get("flagged").get("EXPIRING").findValuesAsText("clientId")).containsExactly(expiringSoon);
        // Active records per week of expiry: the 3-day one, six 30-day ones; the 100-day one is past 13 weeks.
        JsonNode weeks = report.get("expiringByWeek");
        assertThat(weeks).hasSize(13);
        assertThat(weeks.get(0).get("count").asLong()).isEqualTo(1);
        assertThat(weeks.get(4).get("count").asLong()).isEqualTo(6);
        assertThat(weeks.findValues("count").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(7);
    }

    @Test
    void lastUsedAtIsKeptFromTokenIssuance() {
        String clientId = used;
        assertThat(realm.record(clientId).get("lastUsedAt").isNull()).isTrue();
        Instant before = Instant.now().minusSeconds(1);
        realm.token(clientId).assertIssued();
        JsonNode record = NhiRealm.await(Duration.ofSeconds(10), () -> realm.record(clientId),
                r -> !r.get("lastUsedAt").isNull(), "lastUsedAt");
        assertThat(Instant.parse(record.get("lastUsedAt").asText())).isAfter(before);
        // Usage is telemetry, not a change of the record: no new version.
        assertThat(record.get("version").asLong()).isEqualTo(1);
    }
}
