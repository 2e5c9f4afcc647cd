package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An NHI whose owner is disabled or deleted is flagged at once and suspended after the grace period. */
class OrphanIT extends RealmTest {
    OrphanIT() {
        super("orphan", "enforce");
    }

    @Test
    void disablingTheOwnerFlagsAtOnceAndTheSweepSuspendsAfterGraceZero() {
        String ownerId = realm.admin.createUser(realm.name, "owner-to-disable", NhiRealm.PASSWORD);
        String clientId = realm.registeredClient("orphan", "owner-to-disable");
        realm.settings(Map.of("orphanGraceDays", 7));
        realm.token(clientId).assertIssued();

        setEnabled(ownerId, false);
        // The admin event flags the record in the same request: no sweep needed.
        JsonNode flagged = realm.record(clientId);
        assertThat(flagged.get("flags").toString()).contains("ORPHANED");
        assertThat(flagged.get("status").asText()).isEqualTo("active");
        realm.token(clientId).assertIssued();

        realm.settings(Map.of("orphanGraceDays", 0));
        try {
            JsonNode suspended = NhiRealm.await(Duration.ofSeconds(30), () -> realm.record(clientId),
                    r -> r.get("status").asText().equals("suspended"), "sweep to suspend the orphan");
            assertThat(suspended.get("suspensionCause").asText()).isEqualTo("orphaned");
            realm.token(clientId).assertDenied("nhi_orphaned");
            // Resuming is refused while the owner is gone; transferring ownership clears the flag.
            assertThat(realm.action(clientId, "resume", "owner back?").status()).isEqualTo(409);
            RealmAdmin.expect(realm.rest.patch(realm.api("/identities/" + clientId), realm.adminToken(),
                    Map.of("owner", NhiRealm.OWNER)), 200, "transfer");
            RealmAdmin.expect(realm.action(clientId, "resume", "new owner"), 200, "resume");
            realm.token(clientId).assertIssued();
        } finally {
            realm.settings(Map.of("orphanGraceDays", 7));
        }
        JsonNode history = realm.rest.get(realm.api("/identities/" + clientId + "/history"), realm.adminToken()).json();
        assertThat(history.findValuesAsText("change"))
                .containsExactly("registered", "orphaned", "suspended", "owner_transferred", "resumed");
    }

    @Test
    void reEnablingTheOwnerBeforeTheGraceEndsLiftsTheFlag() {
        String ownerId = realm.admin.createUser(realm.name, "owner-on-leave", NhiRealm.PASSWORD);
        String clientId = realm.registeredClient("leave", "owner-on-leave");
        setEnabled(ownerId, false);
        assertThat(realm.record(clientId).get("flags").toString()).contains("ORPHANED");
        setEnabled(ownerId, true);
        assertThat(realm.record(clientId).get("flags").toString()).doesNotContain("ORPHANED");
    }

    @Test
    void deletingTheOwnerOrphansTheirRecords() {
        String ownerId = realm.admin.createUser(realm.name, "owner-leaving", NhiRealm.PASSWORD);
        String clientId = realm.registeredClient("deleted-owner", ownerId);
        RealmAdmin.expect(realm.rest.delete("/admin/realms/" + realm.name + "/users/" + ownerId, realm.admin.token()),
                204, "delete owner");
        JsonNode record = realm.record(clientId);
        assertThat(record.get("flags").toString()).contains("ORPHANED");
        assertThat(record.get("owner").get("id").asText()).isEqualTo(ownerId);
        assertThat(record.get("owner").get("username").isNull()).isTrue();
        var orphans = realm.rest.get(realm.api("/identities?flag=ORPHANED"), realm.adminToken()).json();
        assertThat(orphans.get("items").findValuesAsText("clientId")).contains(clientId);
    }

    private void setEnabled(String userId, boolean enabled) {
        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name + "/users/" + userId, realm.admin.token(),
                Map.of("enabled", enabled)), 204, "enable=" + enabled);
    }
}
