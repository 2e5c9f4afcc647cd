package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The executor's conditions and lifetime cap, configured through the admin API the console uses; every
 * token is asked for and verified by a standard OAuth 2.0 client. Each condition has a request it lets
 * through and one it refuses with its code.
 */
class PolicyIT extends RealmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE_CIDRS = "source-cidrs";
    private static final String TIME_WINDOWS = "time-windows";
    private static final String TIME_ZONE = "time-zone";
    private static final String AUTH_METHODS = "allowed-auth-methods";
    private static final String ALLOWED_SCOPES = "allowed-scopes";
    private static final String MAX_TOKEN_TTL = "max-token-ttl";
    private static final String REQUIRE_REVIEW = "require-review-current";

    /** A zone where it is about noon now: windows around now stay clear of midnight while the class runs. */
    private final ZoneOffset noon = ZoneOffset.ofHours(12 - Instant.now().atZone(ZoneOffset.UTC).getHour());
    private final String today = Instant.now().atZone(noon).getDayOfWeek().name().substring(0, 3);

    /** A configuration that the governed client's request (for {@code scopes}) fails, and the code of that. */
    private record Refusal(String code, Map<String, Object> config, String... scopes) {
    }

    /** The request comes over IPv4, so Keycloak sees 127.0.0.1; IPv6 loopback alone does not let it in. */
    private final Refusal outsideNetworks = new Refusal("nhi_source_denied",
            Map.of(SOURCE_CIDRS, List.of("10.0.0.0/8", "::1/128")));
    private final Refusal outsideHours = new Refusal("nhi_time_denied", Map.of(TIME_WINDOWS,
            List.of(today + " 00:00-11:00", today + " 14:00-24:00"), TIME_ZONE, noon.getId()));
    private final Refusal sharedSecret = new Refusal("nhi_auth_method_denied",
            Map.of(AUTH_METHODS, List.of("client-jwt", "client-x509")));
    /** The governed client's secret was set explicitly, so Keycloak records no creation time for it. */
    private final Refusal secretOfUnknownAge = new Refusal("nhi_secret_too_old", Map.of("max-secret-age-days", "30"));
    private final Refusal scopeNotAllowed = new Refusal("nhi_scope_denied",
            Map.of(ALLOWED_SCOPES, List.of("email", "phone")), "microprofile-jwt");
    private final Refusal elevatedScope = new Refusal("nhi_grant_required",
            Map.of(ALLOWED_SCOPES, List.of("email", "phone"), "elevated-scopes", List.of("address")),
            "phone", "address");
    private final List<Refusal> refusals = List.of(outsideNetworks, outsideHours, sharedSecret, secretOfUnknownAge,
            scopeNotAllowed, elevatedScope);

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
        apply(Map.of());
    }

    private String profiles() {
        return "/admin/realms/" + realm.name + "/client-policies/profiles";
    }

    private RestClient.Reply configure(Map<String, Object> config) {
        return realm.configurePolicy(config);
    }

    private void apply(Map<String, Object> config) {
        RealmAdmin.expect(configure(config), 204, "configure " + config);
    }

    private void deny(Refusal refusal) {
        apply(refusal.config());
        realm.token(clientId, refusal.scopes()).assertDenied(refusal.code());
    }

    private OAuthClient.Result allow(Map<String, Object> config, String... scopes) {
        apply(config);
        return realm.token(clientId, scopes).assertIssued();
    }

    @Test
    void invalidConfigurationIsRefusedWhenSavedNamingTheKey() {
        JsonNode before = realm.rest.get(profiles(), realm.admin.token()).json();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of(SOURCE_CIDRS, List.of("10.0.0.0/33")),
                Map.of(TIME_WINDOWS, List.of("weekdays 9-5")), Map.of(MAX_TOKEN_TTL, "-1"),
                Map.of(AUTH_METHODS, List.of("password")))) {
            RestClient.Reply reply = configure(bad);
            assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
            assertThat(reply.raw()).contains(bad.keySet().iterator().next());
        }
        assertThat(realm.rest.get(profiles(), realm.admin.token()).json()).isEqualTo(before);
    }

    @Test
    void sourceNetworksOverIpv4() {
        deny(outsideNetworks);
        allow(Map.of(SOURCE_CIDRS, List.of("10.0.0.0/8", "127.0.0.0/8")));
    }

    @Test
    void sourceNetworksOverIpv6() throws URISyntaxException {
        URI server = URI.create(realm.rest.baseUrl());
        OAuthClient ipv6 = new OAuthClient(new URI(server.getScheme(), null, "::1", server.getPort(), null, null, null),
                realm.name);
        String secret = NhiRealm.secretOf(clientId);
        apply(Map.of(SOURCE_CIDRS, List.of("127.0.0.0/8", "2001:db8::/32")));
        ipv6.clientCredentials(clientId, secret).assertDenied("nhi_source_denied");
        apply(Map.of(SOURCE_CIDRS, List.of("2001:db8::/32", "::1/128")));
        ipv6.clientCredentials(clientId, secret).assertIssued();
    }

    @Test
    void timeWindowsAroundNow() {
        deny(outsideHours);
        allow(Map.of(TIME_WINDOWS, List.of(today + " 11:00-14:00"), TIME_ZONE, noon.getId()));
    }

    @Test
    void authenticationMethod() {
        deny(sharedSecret);
        allow(Map.of(AUTH_METHODS, List.of("client-secret")));
    }

    @Test
    void secretAgeComesFromKeycloaksOwnCreationTime() {
        deny(secretOfUnknownAge);
        String rotated = realm.registeredClient("rotated");
        String clients = "/admin/realms/" + realm.name + "/clients/" + realm.admin.clientUuid(realm.name, rotated);
        String secret = RealmAdmin.expect(realm.rest.post(clients + "/client-secret", realm.admin.token(), null), 200,
                "regenerate").text("value");
        realm.oauth.clientCredentials(rotated, secret).assertIssued();
        // The same secret, generated 31 days ago as far as Keycloak knows, is too old.
        long monthAgo = Instant.now().minus(31, ChronoUnit.DAYS).getEpochSecond();
        RealmAdmin.expect(realm.rest.put(clients, realm.admin.token(),
                Map.of("attributes", Map.of("client.secret.creation.time", String.valueOf(monthAgo)))), 204, "age");
        realm.oauth.clientCredentials(rotated, secret).assertDenied("nhi_secret_too_old");
    }

    @Test
    void lifetimeIsCappedByPolicyAndByRecordExpiry() {
        OAuthClient.Result capped = allow(Map.of(MAX_TOKEN_TTL, "60"));
        assertThat(capped.lifetime()).isEqualTo(60);
        assertExpiresInMatchesExp(capped);

        String expiring = realm.newClient("expiring");
        Instant expiresAt = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        RealmAdmin.expect(realm.register(NhiRealm.registration(expiring, expiresAt)), 201, "register");
        OAuthClient.Result shortLived = realm.token(expiring).assertIssued();
        // The cap is the whole seconds left until the record expires when the token is shaped.
        assertThat(shortLived.claims().getExpirationTime().toInstant())
                .isBetween(expiresAt.minusSeconds(2), expiresAt);
        assertExpiresInMatchesExp(shortLived);
    }

    /** Keycloak derives {@code expires_in} from the capped {@code exp}, at the second it answers. */
    private static void assertExpiresInMatchesExp(OAuthClient.Result issued) {
        assertThat(issued.expiresIn()).isBetween(issued.lifetime() - 1, issued.lifetime());
    }

    @Test
    void requestedScopesAreLimitedAndElevatedOnesNeedAGrant() throws ParseException {
        OAuthClient.Result allowed = allow(scopeNotAllowed.config(), "phone");
        assertThat(allowed.scope().toStringList()).contains("phone");
        assertThat(allowed.claims().getStringClaim("scope").split(" ")).contains("phone");
        deny(scopeNotAllowed);
        deny(elevatedScope);
    }

    @Test
    void tokenCarriesTheNhiClaim() {
        Map<String, Object> nhi = allow(Map.of(MAX_TOKEN_TTL, "120")).nhi();
        JsonNode record = realm.record(clientId);
        assertThat(nhi.get("id")).isEqualTo(record.get("id").asText());
        assertThat(nhi.get("owner")).isEqualTo(realm.userIds.get(NhiRealm.OWNER));
        assertThat(nhi.get("kind")).isEqualTo("workload");
        assertThat(nhi.get("environment")).isEqualTo("dev");
        assertThat((String) nhi.get("policy")).matches("nhi:[0-9a-f]{16}");
        assertThat(nhi).as("Keycloak writes no null claims").doesNotContainKey("grant");
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
        apply(Map.of(MAX_TOKEN_TTL, "60"));
        OAuthClient.Result issued = realm.token(bypass).assertIssued();
        assertThat(issued.nhi()).isNull();
        assertThat(issued.lifetime()).isEqualTo(60);
        assertExpiresInMatchesExp(issued);
    }

    @Test
    void aCurrentReviewPassesWhenOneIsRequired() {
        // The shortest interval: the governed record, created minutes ago, is due tomorrow.
        realm.withSettings(Map.of("reviewIntervalDays", 1), Map.of("reviewIntervalDays", 90),
                () -> allow(Map.of(REQUIRE_REVIEW, "true")));
    }

    /** PostgreSQL only (the H2 run excludes the tag): no API can make a record a day old. */
    @Test
    @Tag("database-access")
    void anOverdueReviewIsRefusedUntilTheNextReview() {
        String overdue = realm.registeredClient("overdue");
        realm.backdate(overdue, Duration.ofDays(2));
        realm.withSettings(Map.of("reviewIntervalDays", 1), Map.of("reviewIntervalDays", 90), () -> {
            apply(Map.of(REQUIRE_REVIEW, "true"));
            realm.token(overdue).assertDenied("nhi_review_overdue");
            realm.withSettings(Map.of("mode", "audit"), Map.of("mode", "enforce"),
                    () -> realm.token(overdue).assertIssued());
            awaitLogLine(realm.auditLine(overdue, "nhi_review_overdue"));
            RealmAdmin.expect(realm.rest.post(realm.api("/identities/" + overdue + "/review"), realm.adminToken(),
                    Map.of("decision", "keep", "comment", "still needed")), 200, "review");
            realm.token(overdue).assertIssued();
        });
    }

    @Test
    void auditModeIssuesWhatEnforceModeRefusesAndLogsIt() {
        realm.withSettings(Map.of("mode", "audit"), Map.of("mode", "enforce"), () -> {
            for (Refusal refusal : refusals) {
                apply(refusal.config());
                realm.token(clientId, refusal.scopes()).assertIssued();
            }
        });
        for (Refusal refusal : refusals) {
            awaitLogLine(realm.auditLine(clientId, refusal.code()));
        }
    }
}
