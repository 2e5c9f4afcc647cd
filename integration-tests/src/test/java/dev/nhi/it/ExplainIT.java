package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /nhi/explain: the decision a request would get, every rule's outcome, and nothing issued. */
class ExplainIT extends RealmTest {
    ExplainIT() {
        super("explain", "enforce");
    }

    @AfterEach
    void unrestricted() {
        RealmAdmin.expect(realm.configurePolicy(Map.of()), 204, "reset policy");
    }

    private RestClient.Reply explain(String token, Map<String, Object> body) {
        return realm.rest.post(realm.api("/explain"), token, body);
    }

    @Test
    void everyRuleIsReportedAndTheFirstDenialDecides() {
        String clientId = realm.registeredClient("explained");
        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name, realm.admin.token(),
                Map.of("eventsEnabled", true)), 204, "store events");
        realm.token(realm.registeredClient("witness")).assertIssued();
        assertThat(RealmAdmin.expect(realm.rest.get("/admin/realms/" + realm.name + "/events?type=CLIENT_LOGIN",
                realm.admin.token()), 200, "events").json()).as("events are stored").isNotEmpty();
        RealmAdmin.expect(realm.configurePolicy(Map.of("source-cidrs", List.of("10.0.0.0/8"),
                "allowed-auth-methods", List.of("client-jwt"), "max-token-ttl", "120")), 204, "policy");
        JsonNode answer = RealmAdmin.expect(explain(realm.userToken(NhiRealm.OWNER),
                Map.of("clientId", clientId, "sourceAddress", "192.0.2.7", "scope", "phone")), 200, "explain").json();
        assertThat(answer.get("decision").get("code").asText()).isEqualTo("nhi_source_denied");
        assertThat(answer.get("decision").get("error").asText()).isEqualTo("unauthorized_client");
        assertThat(answer.get("tokenIssued").asBoolean()).isFalse();
        assertThat(answer.get("identity").get("allowed").asBoolean()).isTrue();
        JsonNode policy = answer.get("policies").get(0);
        assertThat(policy.get("profile").asText()).isEqualTo("nhi");
        assertThat(policy.get("conditions")).extracting(JsonNode::asText).containsExactly("nhi-client-credentials");
        Map<String, String> outcomes = new java.util.LinkedHashMap<>();
        policy.get("rules").forEach(r -> outcomes.put(r.get("rule").asText(), r.get("outcome").asText()));
        assertThat(outcomes).containsExactly(Map.entry("scope", "skip"), Map.entry("source", "deny"),
                Map.entry("time", "skip"), Map.entry("auth-method", "deny"), Map.entry("secret-age", "skip"),
                Map.entry("review", "skip"));

        RealmAdmin.expect(realm.configurePolicy(Map.of("source-cidrs", List.of("10.0.0.0/8"),
                "max-token-ttl", "120")), 204, "policy");
        JsonNode allowed = RealmAdmin.expect(explain(realm.adminToken(),
                Map.of("clientId", clientId, "sourceAddress", "10.1.2.3")), 200, "explain").json();
        assertThat(allowed.get("decision").get("allowed").asBoolean()).isTrue();
        assertThat(allowed.get("tokenTtlSeconds").asLong()).isEqualTo(120);

        JsonNode events = RealmAdmin.expect(realm.rest.get("/admin/realms/" + realm.name
                + "/events?type=CLIENT_LOGIN&client=" + clientId, realm.admin.token()), 200, "events").json();
        assertThat(events).as("explaining issues nothing").isEmpty();
    }

    @Test
    void theIdentityDecisionComesFirst() {
        String clientId = realm.registeredClient("suspended");
        RealmAdmin.expect(realm.action(clientId, "suspend", "investigation"), 200, "suspend");
        JsonNode answer = RealmAdmin.expect(explain(realm.adminToken(), Map.of("clientId", clientId)), 200, "explain")
                .json();
        assertThat(answer.get("decision").get("code").asText()).isEqualTo("nhi_suspended");
        assertThat(answer.get("identity").get("code").asText()).isEqualTo("nhi_suspended");
    }

    @Test
    void badInputIsRefusedAndOnlyOwnersAndReadersMayAsk() {
        String clientId = realm.registeredClient("guarded");
        RestClient.Reply badAddress = explain(realm.adminToken(), Map.of("clientId", clientId, "sourceAddress", "nope"));
        assertThat(badAddress.status()).as(badAddress.raw()).isEqualTo(400);
        assertThat(badAddress.text("field")).isEqualTo("sourceAddress");
        assertThat(explain(realm.adminToken(), Map.of("clientId", clientId, "at", "yesterday")).text("field"))
                .isEqualTo("at");
        assertThat(explain(realm.adminToken(), Map.of("clientId", clientId, "colour", "red")).text("field"))
                .isEqualTo("colour");
        assertThat(explain(realm.adminToken(), Map.of("clientId", "no-such-client")).status()).isEqualTo(404);
        assertThat(explain(realm.userToken(NhiRealm.CLIENT_MANAGER), Map.of("clientId", clientId)).status())
                .isEqualTo(403);
        assertThat(explain(realm.userToken(NhiRealm.AUDITOR), Map.of("clientId", clientId)).status()).isEqualTo(200);
    }
}
