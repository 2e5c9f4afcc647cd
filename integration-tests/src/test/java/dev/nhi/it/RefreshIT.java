package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A client whose {@code client_credentials.use_refresh_token} is on gets a refresh token with its
 * client-credentials token. A refresh would hand the NHI a token no decision saw (after a suspension, a
 * policy change, an expiry): in enforce mode it is refused, in audit mode noted; either way recorded.
 */
class RefreshIT extends RealmTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    RefreshIT() {
        super("refresh", "enforce");
    }

    private String tokenPath() {
        return "/realms/" + realm.name + "/protocol/openid-connect/token";
    }

    /** A registered NHI whose client is given refresh tokens with client credentials. */
    private String refreshingClient() {
        String clientId = "refreshing-" + UUID.randomUUID().toString().substring(0, 8);
        RealmAdmin.expect(realm.admin.createServiceClient(realm.name, clientId, NhiRealm.secretOf(clientId),
                Map.of("client_credentials.use_refresh_token", "true")), 201, "client");
        RealmAdmin.expect(realm.register(NhiRealm.registration(clientId, Instant.now().plus(30, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS))), 201, "register " + clientId);
        return clientId;
    }

    private JsonNode clientCredentials(String clientId) {
        RestClient.Reply reply = realm.rest.form(tokenPath(), Map.of("grant_type", "client_credentials"), clientId,
                NhiRealm.secretOf(clientId));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.json().path("refresh_token").asText()).as("a refresh token comes with it").isNotEmpty();
        return reply.json();
    }

    private RestClient.Reply refresh(String clientId, JsonNode tokens) {
        return realm.rest.form(tokenPath(), Map.of("grant_type", "refresh_token", "refresh_token",
                tokens.get("refresh_token").asText()), clientId, NhiRealm.secretOf(clientId));
    }

    private static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The realm's token records of {@code clientId} of one grant type, once {@code count} of them are in the sink. */
    private List<JsonNode> tokenRecords(String clientId, String grantType, int count) {
        Path dir = KeycloakExtension.Env.evidenceDir().resolve(realm.name);
        return NhiRealm.await(Duration.ofSeconds(30), () -> EvidenceFiles.records(dir).stream()
                        .filter(r -> r.path("type").asText().startsWith("token.")
                                && r.path("subject").path("clientId").asText().equals(clientId)
                                && r.path("details").path("grantType").asText().equals(grantType)).toList(),
                records -> records.size() >= count, count + " " + grantType + " token records of " + clientId);
    }

    @Test
    void enforceRefusesTheRefreshAndRecordsTheRefusal() {
        String clientId = refreshingClient();
        JsonNode tokens = clientCredentials(clientId);
        RestClient.Reply refused = refresh(clientId, tokens);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("unauthorized_client");
        assertThat(refused.json().get("error_description").asText()).startsWith("nhi_refresh_denied:");

        JsonNode denied = tokenRecords(clientId, "refresh_token", 1).get(0);
        assertThat(denied.get("type").asText()).isEqualTo("token.denied");
        assertThat(denied.get("decision").get("code").asText()).isEqualTo("nhi_refresh_denied");
        assertThat(denied.get("decision").get("rules").get(0).get("rule").asText()).isEqualTo("refresh");
        JsonNode issued = tokenRecords(clientId, "client_credentials", 1).get(0);
        assertThat(issued.get("details").get("tokenId").asText())
                .isEqualTo(claims(tokens.get("access_token").asText()).get("jti").asText());
    }

    @Test
    void auditIssuesTheRefreshedTokenWithItsRecordAndWhatEnforceWouldDo() {
        String clientId = refreshingClient();
        realm.withSettings(Map.of("mode", "audit"), Map.of("mode", "enforce"), () -> {
            JsonNode refreshed = refresh(clientId, clientCredentials(clientId)).json();
            assertThat(refreshed.path("access_token").asText()).as(refreshed.toString()).isNotEmpty();
            JsonNode token = claims(refreshed.get("access_token").asText());

            JsonNode issued = tokenRecords(clientId, "refresh_token", 1).get(0);
            assertThat(issued.get("type").asText()).isEqualTo("token.issued");
            assertThat(issued.get("details").get("tokenId").asText()).isEqualTo(token.get("jti").asText());
            assertThat(issued.get("details").get("exp").asLong()).isEqualTo(token.get("exp").asLong());
            assertThat(issued.get("decision").get("wouldDeny").asText()).startsWith("nhi_refresh_denied:");
        });
    }

    @Test
    void aUsersRefreshThroughTheSameKindOfClientIsNotTouched() {
        String clientId = "both-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("secret", NhiRealm.secretOf(clientId));
        client.put("publicClient", false);
        client.put("serviceAccountsEnabled", true);
        client.put("directAccessGrantsEnabled", true);
        client.put("attributes", Map.of("client_credentials.use_refresh_token", "true"));
        RealmAdmin.expect(realm.rest.post("/admin/realms/" + realm.name + "/clients", realm.admin.token(), client),
                201, "client");
        RealmAdmin.expect(realm.register(NhiRealm.registration(clientId, Instant.now().plus(30, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS))), 201, "register " + clientId);
        RestClient.Reply login = realm.rest.form(tokenPath(), Map.of("grant_type", "password", "username",
                NhiRealm.OWNER, "password", NhiRealm.PASSWORD), clientId, NhiRealm.secretOf(clientId));
        assertThat(login.status()).as(login.raw()).isEqualTo(200);
        RestClient.Reply refreshed = refresh(clientId, login.json());
        assertThat(refreshed.status()).as(refreshed.raw()).isEqualTo(200);
    }
}
