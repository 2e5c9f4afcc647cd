package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real client-credentials requests against the real server, in enforce mode. */
class TokenEnforcementIT extends RealmTest {
    TokenEnforcementIT() {
        super("enforce", "enforce");
    }

    @Test
    void registeredActiveNhiGetsToken() {
        String clientId = realm.registeredClient("active");
        realm.token(clientId).assertIssued();
    }

    @Test
    void unregisteredServiceAccountIsRefused() {
        realm.token(realm.newClient("unregistered")).assertDenied("nhi_unregistered");
    }

    @Test
    void unregisteredIsAllowedWhenRecordsAreNotRequired() {
        String clientId = realm.newClient("optional");
        realm.withSettings(Map.of("requireRecord", false), Map.of("requireRecord", true),
                () -> realm.token(clientId).assertIssued());
        realm.token(clientId).assertDenied("nhi_unregistered");
    }

    @Test
    void recordIsExpiredTheInstantExpiresAtPasses() {
        String clientId = realm.newClient("expiring");
        Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        RealmAdmin.expect(realm.register(NhiRealm.registration(clientId, expiresAt)), 201, "register");
        realm.token(clientId).assertIssued();
        NhiRealm.await(Duration.ofSeconds(10), Instant::now, now -> now.isAfter(expiresAt.plusSeconds(1)), "expiry");
        realm.token(clientId).assertDenied("nhi_expired");
        assertThat(realm.record(clientId).get("status").asText()).isEqualTo("expired");
    }

    @Test
    void suspendTakesEffectOnTheNextRequestAndResumeRestores() {
        String clientId = realm.registeredClient("suspend");
        realm.token(clientId).assertIssued();
        RealmAdmin.expect(realm.action(clientId, "suspend", "incident INC-1"), 200, "suspend");
        realm.token(clientId).assertDenied("nhi_suspended");
        RealmAdmin.expect(realm.action(clientId, "resume", "incident closed"), 200, "resume");
        realm.token(clientId).assertIssued();
    }

    @Test
    void decommissionDisablesClientAndRevokesEarlierTokens() {
        String clientId = realm.registeredClient("decommission");
        String earlier = realm.token(clientId).assertIssued().accessToken();
        assertThat(introspect(earlier).get("active").asBoolean()).isTrue();
        String secretBefore = realm.admin.client(realm.name, clientId).get("secret").asText();

        RestClient.Reply done = realm.action(clientId, "decommission", "replaced by billing-v2");
        assertThat(done.status()).as(done.raw()).isEqualTo(200);
        assertThat(done.text("status")).isEqualTo("decommissioned");

        var client = realm.admin.client(realm.name, clientId);
        assertThat(client.get("enabled").asBoolean()).isFalse();
        assertThat(client.get("secret").asText()).isNotEqualTo(secretBefore);
        assertThat(introspect(earlier).get("active").asBoolean()).isFalse();
        // Re-enabling the client by hand does not bring the NHI back: the record is terminal.
        var enabled = realm.rest.put("/admin/realms/" + realm.name + "/clients/" + client.get("id").asText(),
                realm.admin.token(), Map.of("enabled", true, "secret", NhiRealm.secretOf(clientId)));
        assertThat(enabled.status()).isEqualTo(204);
        realm.token(clientId).assertDenied("nhi_decommissioned");
        assertThat(realm.action(clientId, "resume", "try").status()).isEqualTo(409);
    }

    private JsonNode introspect(String token) {
        String introspector = "introspector";
        if (realm.rest.get("/admin/realms/" + realm.name + "/clients?clientId=" + introspector,
                realm.admin.token()).json().isEmpty()) {
            RealmAdmin.expect(realm.admin.createServiceClient(realm.name, introspector, NhiRealm.secretOf(introspector),
                    Map.of("allow.token.introspection.without.audience.check", "true")), 201, "introspector");
        }
        RestClient.Reply reply = realm.rest.form("/realms/" + realm.name + "/protocol/openid-connect/token/introspect",
                Map.of("token", token), introspector, NhiRealm.secretOf(introspector));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        return reply.json();
    }
}
