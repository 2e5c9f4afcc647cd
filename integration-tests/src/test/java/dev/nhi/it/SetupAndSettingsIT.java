package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetupAndSettingsIT extends RealmTest {
    SetupAndSettingsIT() {
        super("setup", "audit");
    }

    @Test
    void setupIsIdempotentAndLeavesOtherPoliciesIntact() {
        String token = realm.admin.token();
        String policies = "/admin/realms/" + realm.name + "/client-policies/policies";
        Map<String, Object> mine = Map.of("name", "admins-own", "enabled", false,
                "conditions", List.of(Map.of("condition", "any-client", "configuration", Map.of())), "profiles", List.of());
        JsonNode current = realm.rest.get(policies, token).json();
        var all = new ArrayList<Object>();
        current.get("policies").forEach(all::add);
        all.add(mine);
        RealmAdmin.expect(realm.rest.put(policies, token, Map.of("policies", all)), 204, "add own policy");

        JsonNode again = RealmAdmin.expect(realm.rest.post(realm.api("/setup"), token, Map.of("mode", "enforce")), 200,
                "setup again").json();
        assertThat(again.get("mode").asText()).isEqualTo("enforce");
        for (JsonNode step : again.get("steps")) {
            assertThat(step.get("created")).as(step.toString()).isEmpty();
        }
        JsonNode after = realm.rest.get(policies, token).json().get("policies");
        assertThat(after.findValuesAsText("name")).containsExactlyInAnyOrder("nhi", "admins-own");
        JsonNode nhi = after.get(after.findValuesAsText("name").indexOf("nhi"));
        assertThat(nhi.get("conditions").get(0).get("condition").asText()).isEqualTo("nhi-client-credentials");
        JsonNode profiles = realm.rest.get("/admin/realms/" + realm.name + "/client-policies/profiles", token).json();
        assertThat(profiles.get("profiles").findValuesAsText("executor")).containsExactly("nhi-access-policy");
        assertThat(realm.rest.get("/admin/realms/" + realm.name + "/roles/nhi-admin", token).status()).isEqualTo(200);
        assertThat(realm.rest.get("/admin/realms/" + realm.name + "/roles/nhi-auditor", token).status()).isEqualTo(200);
        // The console's public client: code flow with PKCE only.
        JsonNode console = realm.admin.client(realm.name, "nhi-console");
        assertThat(console.get("publicClient").asBoolean()).isTrue();
        assertThat(console.get("directAccessGrantsEnabled").asBoolean()).isFalse();
        assertThat(console.get("attributes").get("pkce.code.challenge.method").asText()).isEqualTo("S256");
        assertThat(console.get("redirectUris").get(0).asText()).isEqualTo("/realms/" + realm.name + "/nhi/console/*");
        // Where each part is seen or configured: the console, and the admin console of the caller's realm.
        JsonNode links = again.get("links");
        assertThat(links.get("nhiConsole").asText()).isEqualTo(realm.rest.baseUrl() + "/realms/" + realm.name
                + "/nhi/console/");
        assertThat(links.get("clientProfiles").asText()).isEqualTo(realm.rest.baseUrl() + "/admin/master/console/#/"
                + realm.name + "/realm-settings/client-policies/profiles");
        assertThat(links.fieldNames()).toIterable().contains("clientPolicies", "clientScopes", "eventListeners",
                "emailSettings");
        realm.settings(Map.of("mode", "audit"));
    }

    @Test
    void settingsHaveContractDefaultsAndChangeFieldByField() {
        JsonNode settings = realm.rest.get(realm.api("/settings"), realm.adminToken()).json();
        assertThat(settings.get("requireRecord").asBoolean()).isTrue();
        assertThat(settings.get("maxLifetimeDays").asInt()).isEqualTo(365);
        assertThat(settings.get("reviewIntervalDays").asInt()).isEqualTo(90);
        assertThat(settings.get("expiryWarningDays").asInt()).isEqualTo(14);
        assertThat(settings.get("orphanGraceDays").asInt()).isEqualTo(7);
        assertThat(settings.get("staleAfterDays").asInt()).isEqualTo(90);
        assertThat(settings.get("defaultTokenTtlSeconds").asInt()).isEqualTo(300);

        JsonNode changed = RealmAdmin.expect(realm.rest.put(realm.api("/settings"), realm.adminToken(),
                Map.of("staleAfterDays", 30)), 200, "change").json();
        assertThat(changed.get("staleAfterDays").asInt()).isEqualTo(30);
        assertThat(changed.get("reviewIntervalDays").asInt()).isEqualTo(90);
        assertThat(realm.rest.get(realm.api("/settings"), realm.userToken(NhiRealm.AUDITOR)).json()).isEqualTo(changed);
        realm.settings(Map.of("staleAfterDays", 90));
    }
}
