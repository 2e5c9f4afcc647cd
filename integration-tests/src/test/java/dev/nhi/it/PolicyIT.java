package dev.nhi.it;

import static dev.nhi.it.NhiRealm.assertIssued;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The executor's conditions and lifetime cap, configured through the admin API the console uses. */
class PolicyIT extends RealmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private String clientId;

    PolicyIT() {
        super("policy", "enforce");
    }

    @BeforeAll
    void realm() {
        clientId = realm.registeredClient("governed");
    }

    @AfterEach
    void unrestricted() {
        RealmAdmin.expect(configure(Map.of()), 204, "reset policy");
    }

    private String profiles() {
        return "/admin/realms/" + realm.name + "/client-policies/profiles";
    }

    /** Replaces the configuration of the nhi profile's executor, as the admin console's form does. */
    private RestClient.Reply configure(Map<String, Object> config) {
        JsonNode all = realm.rest.get(profiles(), realm.admin.token()).json();
        for (JsonNode profile : all.get("profiles")) {
            if (profile.get("name").asText().equals("nhi")) {
                ((ObjectNode) profile.get("executors").get(0)).set("configuration", JSON.valueToTree(config));
            }
        }
        return realm.rest.put(profiles(), realm.admin.token(), all);
    }

    private void deny(Map<String, Object> config, String code) {
        RealmAdmin.expect(configure(config), 204, "configure " + config);
        NhiRealm.assertDenied(realm.token(clientId), code);
    }

    private void allow(Map<String, Object> config) {
        RealmAdmin.expect(configure(config), 204, "configure " + config);
        assertIssued(realm.token(clientId));
    }

    @Test
    void invalidConfigurationIsRefusedWhenSavedNamingTheKey() {
        JsonNode before = realm.rest.get(profiles(), realm.admin.token()).json();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("source-cidrs", List.of("10.0.0.0/33")),
                Map.of("time-windows", List.of("weekdays 9-5")), Map.of("max-token-ttl", "-1"),
                Map.of("allowed-auth-methods", List.of("password")))) {
            RestClient.Reply reply = configure(bad);
            assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
            assertThat(reply.raw()).contains(bad.keySet().iterator().next());
        }
        assertThat(realm.rest.get(profiles(), realm.admin.token()).json()).isEqualTo(before);
    }

    @Test
    void sourceNetworks() {
        deny(Map.of("source-cidrs", List.of("10.0.0.0/8")), "nhi_source_denied");
        deny(Map.of("source-cidrs", List.of("::1/128")), "nhi_source_denied");
        allow(Map.of("source-cidrs", List.of("10.0.0.0/8", "127.0.0.0/8", "::1/128")));
    }

    @Test
    void timeWindows() {
        allow(Map.of("time-windows", List.of("MON-SUN 00:00-24:00")));
        int hour = (Instant.now().atZone(ZoneOffset.UTC).getHour() + 12) % 24;
        String elsewhere = String.format("MON-SUN %02d:00-%02d:00", Math.min(hour, 22), Math.min(hour, 22) + 1);
        deny(Map.of("time-windows", List.of(elsewhere)), "nhi_time_denied");
    }

    @Test
    void authenticationMethod() {
        deny(Map.of("allowed-auth-methods", List.of("client-jwt", "client-x509")), "nhi_auth_method_denied");
        allow(Map.of("allowed-auth-methods", List.of("client-secret")));
    }

    @Test
    void secretAgeComesFromKeycloaksOwnCreationTime() {
        // Created with an explicit secret: Keycloak records no creation time, so the age is unknown.
        deny(Map.of("max-secret-age-days", "30"), "nhi_secret_too_old");
        String uuid = realm.admin.clientUuid(realm.name, clientId);
        String secret = RealmAdmin.expect(realm.rest.post("/admin/realms/" + realm.name + "/clients/" + uuid
                + "/client-secret", realm.admin.token(), null), 200, "regenerate").text("value");
        assertIssued(realm.rest.clientCredentials(realm.name, clientId, secret));
        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name + "/clients/" + uuid, realm.admin.token(),
                Map.of("secret", NhiRealm.secretOf(clientId))), 204, "restore secret");
    }

    @Test
    void lifetimeIsCappedByPolicyAndByRecordExpiry() {
        RealmAdmin.expect(configure(Map.of("max-token-ttl", "60")), 204, "ttl");
        RestClient.Reply reply = realm.token(clientId);
        assertIssued(reply);
        JsonNode claims = claims(reply.text("access_token"));
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(60);
        assertThat(reply.field("expires_in").asLong()).isBetween(59L, 60L);

        String expiring = realm.newClient("expiring");
        Instant expiresAt = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        RealmAdmin.expect(realm.register(NhiRealm.registration(expiring, expiresAt)), 201, "register");
        RestClient.Reply shortLived = realm.token(expiring);
        assertIssued(shortLived);
        assertThat(claims(shortLived.text("access_token")).get("exp").asLong())
                .isLessThanOrEqualTo(expiresAt.getEpochSecond());
        assertThat(shortLived.field("expires_in").asLong()).isLessThanOrEqualTo(20);
    }

    private RestClient.Reply tokenWithScope(String scope) {
        return realm.rest.form("/realms/" + realm.name + "/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "scope", scope), clientId, NhiRealm.secretOf(clientId));
    }

    @Test
    void requestedScopesAreLimitedAndElevatedOnesNeedAGrant() {
        RealmAdmin.expect(configure(Map.of("allowed-scopes", List.of("email", "phone"),
                "elevated-scopes", List.of("address"))), 204, "scopes");
        RestClient.Reply allowed = tokenWithScope("phone");
        assertIssued(allowed);
        assertThat(allowed.text("scope")).contains("phone");
        RestClient.Reply denied = tokenWithScope("microprofile-jwt");
        assertThat(denied.status()).as(denied.raw()).isEqualTo(400);
        assertThat(denied.text("error")).isEqualTo("invalid_scope");
        assertThat(denied.text("error_description")).startsWith("nhi_scope_denied:");
        NhiRealm.assertDenied(tokenWithScope("phone address"), "nhi_grant_required");
    }

    @Test
    void tokenCarriesTheNhiClaim() {
        RealmAdmin.expect(configure(Map.of("max-token-ttl", "120")), 204, "ttl");
        JsonNode nhi = claims(realm.token(clientId).text("access_token")).get("nhi");
        JsonNode record = realm.record(clientId);
        assertThat(nhi.get("id").asText()).isEqualTo(record.get("id").asText());
        assertThat(nhi.get("owner").asText()).isEqualTo(realm.userIds.get(NhiRealm.OWNER));
        assertThat(nhi.get("kind").asText()).isEqualTo("workload");
        assertThat(nhi.get("environment").asText()).isEqualTo("dev");
        assertThat(nhi.get("policy").asText()).matches("nhi:[0-9a-f]{16}");
        assertThat(nhi.has("grant")).as("Keycloak writes no null claims").isFalse();
    }

    @Test
    void theLifetimeCapHoldsWhenAClientAdminRemovesTheMapper() {
        String bypass = realm.registeredClient("bypass");
        String uuid = realm.admin.clientUuid(realm.name, bypass);
        String scopeId = realm.rest.get("/admin/realms/" + realm.name + "/client-scopes", realm.admin.token()).json()
                .findParents("name").stream().filter(s -> s.get("name").asText().equals("nhi")).findFirst()
                .orElseThrow().get("id").asText();
        RealmAdmin.expect(realm.rest.delete("/admin/realms/" + realm.name + "/clients/" + uuid
                + "/default-client-scopes/" + scopeId, realm.userToken(NhiRealm.CLIENT_MANAGER)), 204, "remove scope");
        RealmAdmin.expect(configure(Map.of("max-token-ttl", "60")), 204, "ttl");
        RestClient.Reply reply = realm.token(bypass);
        assertIssued(reply);
        JsonNode claims = claims(reply.text("access_token"));
        assertThat(claims.has("nhi")).isFalse();
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(60);
    }

    private static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
