package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Registration through {@code nhi.*} client attributes (infrastructure as code), and what happens
 * to records when Keycloak removes their client or their realm.
 */
class ClientLifecycleIT extends RealmTest {
    ClientLifecycleIT() {
        super("lifecycle", "enforce");
    }

    @Test
    void clientCreatedWithAttributesIsRegistered() {
        Instant expiresAt = Instant.now().plus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("nhi.owner", NhiRealm.OWNER);
        attributes.put("nhi.purpose", "created by terraform");
        attributes.put("nhi.expires-at", expiresAt.toString());
        attributes.put("nhi.kind", "api-integration");
        attributes.put("nhi.environment", "prod");
        attributes.put("nhi.provenance", "{\"system\":\"terraform\",\"reference\":\"stacks/billing\"}");
        RealmAdmin.expect(realm.admin.createServiceClient(realm.name, "tf-billing", NhiRealm.secretOf("tf-billing"),
                attributes), 201, "create");

        JsonNode record = realm.record("tf-billing");
        assertThat(record.get("kind").asText()).isEqualTo("api-integration");
        assertThat(record.get("owner").get("username").asText()).isEqualTo(NhiRealm.OWNER);
        assertThat(record.get("expiresAt").asText()).isEqualTo(expiresAt.toString());
        assertThat(record.get("environment").asText()).isEqualTo("prod");
        assertThat(record.get("provenance").get("system").asText()).isEqualTo("terraform");
        assertThat(record.get("provenance").get("reference").asText()).isEqualTo("stacks/billing");
        assertThat(record.get("provenance").get("createdBy").asText()).isEqualTo("admin");
        realm.token("tf-billing").assertIssued();

        // The record is now the source of truth: editing the attribute changes nothing.
        String uuid = realm.admin.clientUuid(realm.name, "tf-billing");
        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name + "/clients/" + uuid, realm.admin.token(),
                Map.of("attributes", Map.of("nhi.owner", NhiRealm.AUDITOR))), 204, "update client");
        assertThat(realm.record("tf-billing").get("owner").get("username").asText()).isEqualTo(NhiRealm.OWNER);
        assertThat(realm.record("tf-billing").get("version").asLong()).isEqualTo(1);
    }

    @Test
    void invalidAttributesFailTheCreationAndLeaveNoClient() {
        RestClient.Reply reply = realm.admin.createServiceClient(realm.name, "tf-broken", "s",
                Map.of("nhi.owner", "nobody-here", "nhi.purpose", "x",
                        "nhi.expires-at", Instant.now().plus(5, ChronoUnit.DAYS).toString()));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
        assertThat(reply.text("field")).isEqualTo("nhi.owner");
        assertThat(realm.rest.get("/admin/realms/" + realm.name + "/clients?clientId=tf-broken", realm.admin.token())
                .json()).isEmpty();

        RestClient.Reply missing = realm.admin.createServiceClient(realm.name, "tf-partial", "s",
                Map.of("nhi.owner", NhiRealm.OWNER));
        assertThat(missing.status()).as(missing.raw()).isEqualTo(400);
        assertThat(missing.text("field")).isEqualTo("nhi.purpose");
    }

    @Test
    void deletingTheClientKeepsItsRecordDecommissionedWithHistory() {
        String clientId = realm.registeredClient("deleted");
        RealmAdmin.expect(realm.rest.delete("/admin/realms/" + realm.name + "/clients/"
                + realm.admin.clientUuid(realm.name, clientId), realm.admin.token()), 204, "delete client");
        JsonNode record = realm.record(clientId);
        assertThat(record.get("status").asText()).isEqualTo("decommissioned");
        JsonNode history = realm.rest.get(realm.api("/identities/" + clientId + "/history"), realm.adminToken()).json();
        assertThat(history.findValuesAsText("change")).containsExactly("registered", "decommissioned");
        assertThat(history.get(1).get("changedBy").get("username").asText()).isEqualTo("system");
    }

    @Test
    void deletingTheRealmRemovesItsRecordsAndItsTokenTally() {
        NhiRealm doomed = new NhiRealm(env, "doomed", "enforce");
        String name = doomed.name;
        String gone = doomed.registeredClient("gone");
        doomed.token(gone).assertIssued();
        String daily = "/admin/realms/" + name + "/nhi/evidence/daily?days=1";
        NhiRealm.await(Duration.ofSeconds(30), () -> env.rest().get(daily, env.admin().token()).json(),
                days -> days.get(0).get("issued").asLong() == 1, "the token tallied");
        doomed.delete();
        // The same realm id again: had the records survived, they would be visible here.
        RealmAdmin.expect(env.rest().post("/admin/realms", env.admin().token(),
                Map.of("id", doomed.id, "realm", name, "enabled", true)), 201, "recreate");
        try {
            JsonNode list = env.rest().get("/admin/realms/" + name + "/nhi/identities", env.admin().token()).json();
            assertThat(list.get("total").asLong()).isZero();
            assertThat(env.rest().get(daily, env.admin().token()).json().get(0).get("issued").asLong()).isZero();
        } finally {
            env.admin().deleteRealm(name);
        }
    }
}
