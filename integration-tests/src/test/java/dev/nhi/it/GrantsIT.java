package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JIT elevation: request, four-eyes approval, tokens under the grant, expiry and revocation. */
class GrantsIT extends RealmTest {
    private static final String ELEVATED = "address";

    GrantsIT() {
        super("grants", "enforce");
    }

    @BeforeAll
    void policy() {
        RealmAdmin.expect(realm.configurePolicy(Map.of("allowed-scopes", List.of("phone"),
                "elevated-scopes", List.of(ELEVATED), "max-token-ttl", "300")), 204, "policy");
    }

    private RestClient.Reply request(String token, String clientId, long seconds) {
        return realm.rest.post(realm.api("/grants"), token, Map.of("clientId", clientId, "scopes", List.of(ELEVATED),
                "durationSeconds", seconds, "reason", "incident 4711"));
    }

    private RestClient.Reply act(String token, String id, String action) {
        return realm.rest.post(realm.api("/grants/" + id + "/" + action), token, Map.of("comment", action + " it"));
    }

    @Test
    void theRequesterCannotApproveTheirOwnGrantAndAnotherAdminCan() {
        String clientId = realm.registeredClient("four-eyes");
        String bob = realm.userToken(NhiRealm.ADMIN);
        JsonNode grant = RealmAdmin.expect(request(bob, clientId, 600), 201, "request").json();
        assertThat(grant.get("status").asText()).isEqualTo("pending");
        assertThat(grant.get("requestedBy").get("username").asText()).isEqualTo(NhiRealm.ADMIN);
        String id = grant.get("id").asText();

        RestClient.Reply own = act(bob, id, "approve");
        assertThat(own.status()).as(own.raw()).isEqualTo(403);
        assertThat(own.text("message")).contains("four eyes");
        assertThat(act(realm.userToken(NhiRealm.AUDITOR), id, "approve").status()).isEqualTo(403);
        assertThat(act(realm.userToken(NhiRealm.OWNER), id, "approve").status())
                .as("an owner requests; only an nhi-admin decides").isEqualTo(403);

        JsonNode approved = RealmAdmin.expect(act(realm.userToken(NhiRealm.SECOND_ADMIN), id, "approve"), 200,
                "approve").json();
        assertThat(approved.get("status").asText()).isEqualTo("approved");
        assertThat(approved.get("decidedBy").get("username").asText()).isEqualTo(NhiRealm.SECOND_ADMIN);
        assertThat(act(realm.userToken(NhiRealm.SECOND_ADMIN), id, "deny").status())
                .as("a decided grant stays decided").isEqualTo(409);

        JsonNode history = RealmAdmin.expect(realm.rest.get(realm.api("/grants/" + id), bob), 200, "get").json()
                .get("history");
        assertThat(history).extracting(s -> s.get("status").asText()).containsExactly("pending", "approved");
    }

    @Test
    void elevatedScopesNeedAnApprovedGrantAndStopWithItsRevocation() {
        String clientId = realm.registeredClient("elevated");
        realm.token(clientId, ELEVATED).assertDenied("nhi_grant_required");

        String id = RealmAdmin.expect(request(realm.userToken(NhiRealm.OWNER), clientId, 600), 201, "owner requests")
                .text("id");
        realm.token(clientId, ELEVATED).assertDenied("nhi_grant_required");
        JsonNode approved = RealmAdmin.expect(act(realm.adminToken(), id, "approve"), 200, "approve").json();
        Instant grantExpiry = Instant.parse(approved.get("expiresAt").asText());

        OAuthClient.Result elevated = realm.token(clientId, ELEVATED).assertIssued();
        assertThat(elevated.scope().toStringList()).contains(ELEVATED);
        assertThat(elevated.nhi()).containsEntry("grant", id);
        assertThat(elevated.claims().getExpirationTime().toInstant()).isBeforeOrEqualTo(grantExpiry);
        assertThat(elevated.tokenScopes()).contains(ELEVATED);

        OAuthClient.Result plain = realm.token(clientId).assertIssued();
        assertThat(plain.nhi()).as("a request that does not use the grant is not attributed to it")
                .doesNotContainKey("grant");

        JsonNode revoked = RealmAdmin.expect(act(realm.userToken(NhiRealm.OWNER), id, "revoke"), 200, "owner revokes")
                .json();
        assertThat(revoked.get("status").asText()).isEqualTo("revoked");
        realm.token(clientId, ELEVATED).assertDenied("nhi_grant_required");
    }

    @Test
    void theTokenLifetimeEndsWithTheGrant() {
        String clientId = realm.registeredClient("short-grant");
        String id = RealmAdmin.expect(request(realm.adminToken(), clientId, 20), 201, "request").text("id");
        JsonNode approved = RealmAdmin.expect(act(realm.userToken(NhiRealm.SECOND_ADMIN), id, "approve"), 200,
                "approve").json();
        OAuthClient.Result reply = realm.token(clientId, ELEVATED).assertIssued();
        assertThat(reply.claims().getExpirationTime().toInstant())
                .isBeforeOrEqualTo(Instant.parse(approved.get("expiresAt").asText()));
        assertThat(reply.lifetime()).isLessThanOrEqualTo(20);
        assertThat(reply.expiresIn()).isLessThanOrEqualTo(20);
    }

    /**
     * A request nobody decides lapses: it can no longer be decided, and no approver is mailed about it. Settings
     * are realm-wide: restored whatever happens, so that the other tests' requests stay pending.
     */
    @Test
    void aRequestNobodyDecidesLapses() {
        String clientId = realm.registeredClient("lapsing");
        realm.withSettings(Map.of("pendingGrantExpirySeconds", 60), Map.of("pendingGrantExpirySeconds", 86_400), () -> {
            JsonNode grant = RealmAdmin.expect(request(realm.userToken(NhiRealm.ADMIN), clientId, 600), 201, "request")
                    .json();
            String id = grant.get("id").asText();
            Instant decideBy = Instant.parse(grant.get("decideBy").asText());
            assertThat(decideBy).isEqualTo(Instant.parse(grant.get("requestedAt").asText()).plusSeconds(60));
            String pendingList = realm.api("/grants?status=pending&clientId=" + clientId);
            assertThat(realm.rest.get(pendingList, realm.adminToken()).json().get("items")).hasSize(1);

            sleepUntil(decideBy.plusMillis(500));
            JsonNode lapsed = RealmAdmin.expect(realm.rest.get(realm.api("/grants/" + id), realm.adminToken()), 200,
                    "get").json();
            assertThat(lapsed.get("status").asText()).isEqualTo("expired");
            RestClient.Reply approve = act(realm.userToken(NhiRealm.SECOND_ADMIN), id, "approve");
            assertThat(approve.status()).as(approve.raw()).isEqualTo(409);
            assertThat(approve.text("message")).contains("lapsed undecided");
            assertThat(act(realm.userToken(NhiRealm.ADMIN), id, "revoke").status()).isEqualTo(409);
            assertThat(realm.rest.get(pendingList, realm.adminToken()).json().get("items")).isEmpty();
            assertThat(realm.rest.get(realm.api("/grants?status=expired&clientId=" + clientId), realm.adminToken())
                    .json().get("items")).extracting(g -> g.get("id").asText()).containsExactly(id);
            realm.token(clientId, ELEVATED).assertDenied("nhi_grant_required");

            // nor is it brought to an approver's attention: the sweeps mail a request made now, never it
            try (Mailbox mailbox = Mailbox.of(realm)) {
                String pending = realm.registeredClient("pending");
                RealmAdmin.expect(request(realm.userToken(NhiRealm.ADMIN), pending, 600), 201, "request");
                mailbox.awaitOne(NhiRealm.SECOND_ADMIN, "A grant for " + pending);
                sleepUntil(Instant.now().plusSeconds(3 * KeycloakExtension.SWEEP_INTERVAL_SECONDS));
                assertThat(mailbox.to(NhiRealm.SECOND_ADMIN, "A grant for " + clientId)).as("the lapsed request").isEmpty();
            } finally {
                RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name, realm.admin.token(),
                        Map.of("smtpServer", Map.of())), 204, "smtp settings removed");
            }
        });
        RestClient.Reply tooShort = realm.rest.put(realm.api("/settings"), realm.adminToken(),
                Map.of("pendingGrantExpirySeconds", 59));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.text("field")).isEqualTo("pendingGrantExpirySeconds");
    }

    private static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Test
    void requestsAreValidatedAndAuthorized() {
        String clientId = realm.registeredClient("validated");
        RestClient.Reply tooLong = request(realm.adminToken(), clientId, 3601);
        assertThat(tooLong.status()).as(tooLong.raw()).isEqualTo(400);
        assertThat(tooLong.text("field")).isEqualTo("durationSeconds");
        realm.settings(Map.of("maxGrantDurationSeconds", 7200));
        RealmAdmin.expect(request(realm.adminToken(), clientId, 3601), 201, "within the raised cap");
        realm.settings(Map.of("maxGrantDurationSeconds", 3600));

        RestClient.Reply noScopes = realm.rest.post(realm.api("/grants"), realm.adminToken(),
                Map.of("clientId", clientId, "scopes", List.of(), "durationSeconds", 60, "reason", "x"));
        assertThat(noScopes.text("field")).isEqualTo("scopes");
        assertThat(request(realm.adminToken(), "no-such-client", 60).status()).isEqualTo(404);
        assertThat(request(realm.userToken(NhiRealm.AUDITOR), clientId, 60).status()).isEqualTo(403);
        assertThat(request(realm.userToken(NhiRealm.CLIENT_MANAGER), clientId, 60).status()).isEqualTo(403);

        JsonNode listed = RealmAdmin.expect(realm.rest.get(realm.api("/grants?status=pending&clientId=" + clientId),
                realm.userToken(NhiRealm.AUDITOR)), 200, "auditor lists").json();
        assertThat(listed.get("items")).hasSize(1);
        assertThat(realm.rest.get(realm.api("/grants?status=granted"), realm.adminToken()).status()).isEqualTo(400);
        JsonNode mine = RealmAdmin.expect(realm.rest.get(realm.api("/grants"),
                realm.userToken(NhiRealm.CLIENT_MANAGER)), 200, "someone else lists").json();
        assertThat(mine.get("items")).as("sees only what they requested").isEmpty();
    }
}
