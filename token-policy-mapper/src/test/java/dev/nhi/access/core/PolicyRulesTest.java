package dev.nhi.access.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import java.net.InetAddress;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyRulesTest {
    /** A Wednesday, 12:00 UTC. */
    private static final Instant NOW = Instant.parse("2026-06-03T12:00:00Z");
    private static final NhiSettings SETTINGS = NhiSettings.DEFAULTS;
    private static final NhiRecord RECORD = new NhiRecord.Builder().id("r").realmId("realm").clientUuid("u")
            .clientId("c").ownerId("o").purpose("p").createdAt(NOW.minus(Duration.ofDays(10)))
            .expiresAt(NOW.plus(Duration.ofDays(30))).build();

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static DenialCode code(Map<String, ?> config, AccessRequest request) {
        return PolicyRules.check(AccessPolicy.parse(config), request, RECORD, SETTINGS, List.of(), NOW).decision().code();
    }

    private static AccessRequest from(String address) throws Exception {
        return new AccessRequest(ip(address), "client-secret", NOW.minus(Duration.ofDays(1)), Set.of());
    }

    @Test
    void emptyPolicyRestrictsNothing() throws Exception {
        assertThat(code(Map.of(), from("203.0.113.9"))).isNull();
        assertThat(PolicyRules.tokenTtl(AccessPolicy.parse(Map.of()), RECORD, SETTINGS, null, NOW)).hasSeconds(300);
    }

    @Test
    void anEmptyRowOfTheAdminConsoleIsNoValue() throws Exception {
        // Keycloak's admin console sends [null] for a multivalued field left empty.
        Map<String, Object> config = new HashMap<>();
        config.put(AccessPolicy.TIME_WINDOWS, Arrays.asList((String) null));
        config.put(AccessPolicy.SOURCE_CIDRS, Arrays.asList("10.0.0.0/8", null));
        assertThat(code(config, from("10.1.2.3"))).isNull();
        assertThat(code(config, from("11.1.2.3"))).isEqualTo(DenialCode.SOURCE_DENIED);
        assertThatThrownBy(() -> AccessPolicy.parse(Map.of(AccessPolicy.SOURCE_CIDRS, List.of(7))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("only strings");
    }

    @Test
    void sourceCidrsIpv4AndIpv6() throws Exception {
        Map<String, ?> config = Map.of(AccessPolicy.SOURCE_CIDRS, List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.7"));
        assertThat(code(config, from("10.20.30.40"))).isNull();
        assertThat(code(config, from("2001:db8:1::5"))).isNull();
        assertThat(code(config, from("192.0.2.7"))).isNull();
        assertThat(code(config, from("192.0.2.8"))).isEqualTo(DenialCode.SOURCE_DENIED);
        assertThat(code(config, from("11.0.0.1"))).isEqualTo(DenialCode.SOURCE_DENIED);
        assertThat(code(config, from("2001:db9::1"))).isEqualTo(DenialCode.SOURCE_DENIED);
        assertThat(code(Map.of(AccessPolicy.SOURCE_CIDRS, "0.0.0.0/0"), from("::1"))).isEqualTo(DenialCode.SOURCE_DENIED);
    }

    @Test
    void timeWindowsInTheirZone() throws Exception {
        assertThat(code(Map.of(AccessPolicy.TIME_WINDOWS, "MON-FRI 06:00-20:00"), from("10.0.0.1"))).isNull();
        assertThat(code(Map.of(AccessPolicy.TIME_WINDOWS, "SAT,SUN 00:00-24:00"), from("10.0.0.1")))
                .isEqualTo(DenialCode.TIME_DENIED);
        // 12:00 UTC is 21:00 in Tokyo: outside 06:00-20:00 there.
        assertThat(code(Map.of(AccessPolicy.TIME_WINDOWS, "MON-FRI 06:00-20:00", AccessPolicy.TIME_ZONE, "Asia/Tokyo"),
                from("10.0.0.1"))).isEqualTo(DenialCode.TIME_DENIED);
        TimeWindow w = TimeWindow.parse("k", "FRI-MON 10:00-11:00");
        assertThat(w.days()).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY,
                DayOfWeek.MONDAY);
        assertThat(w.contains(ZonedDateTime.parse("2026-06-05T10:59:59Z"))).isTrue();
        assertThat(w.contains(ZonedDateTime.parse("2026-06-05T11:00:00Z"))).isFalse();
    }

    @Test
    void authMethodAndSecretAge() throws Exception {
        AccessRequest secret = from("10.0.0.1");
        assertThat(code(Map.of(AccessPolicy.ALLOWED_AUTH_METHODS, "client-jwt,client-x509"), secret))
                .isEqualTo(DenialCode.AUTH_METHOD_DENIED);
        assertThat(code(Map.of(AccessPolicy.ALLOWED_AUTH_METHODS, "client-jwt"),
                new AccessRequest(ip("10.0.0.1"), "client-jwt", null, Set.of()))).isNull();
        Map<String, ?> maxAge = Map.of(AccessPolicy.MAX_SECRET_AGE_DAYS, "30");
        assertThat(code(maxAge, secret)).isNull();
        assertThat(code(maxAge, new AccessRequest(ip("10.0.0.1"), "client-secret", NOW.minus(Duration.ofDays(31)), Set.of())))
                .isEqualTo(DenialCode.SECRET_TOO_OLD);
        assertThat(code(maxAge, new AccessRequest(ip("10.0.0.1"), "client-secret", null, Set.of())))
                .isEqualTo(DenialCode.SECRET_TOO_OLD);
        assertThat(code(maxAge, new AccessRequest(ip("10.0.0.1"), "client-jwt", null, Set.of()))).isNull();
    }

    @Test
    void requestedScopesMustBeAllowedAndElevatedOnesNeedAGrant() throws Exception {
        Map<String, ?> config = Map.of(AccessPolicy.ALLOWED_SCOPES, "invoices:read", AccessPolicy.ELEVATED_SCOPES,
                List.of("invoices:write"));
        AccessRequest read = new AccessRequest(ip("10.0.0.1"), "client-secret", NOW, AccessRequest.scopes("openid invoices:read"));
        assertThat(code(config, read)).isNull();
        assertThat(code(config, new AccessRequest(ip("10.0.0.1"), "client-secret", NOW, AccessRequest.scopes("email"))))
                .isEqualTo(DenialCode.SCOPE_DENIED);
        assertThat(code(config, new AccessRequest(ip("10.0.0.1"), "client-secret", NOW,
                AccessRequest.scopes(" invoices:read  invoices:write ")))).isEqualTo(DenialCode.GRANT_REQUIRED);
        assertThat(code(Map.of(), new AccessRequest(ip("10.0.0.1"), "client-secret", NOW, AccessRequest.scopes("email"))))
                .isNull();
        assertThat(DenialCode.SCOPE_DENIED.oauthError()).isEqualTo("invalid_scope");
    }

    private static Grant approved(String id, String scopes, long seconds) {
        return Grant.request(id, "r", "u", "c", AccessRequest.scopes(scopes), seconds, 3600, "incident", "alice-id",
                "alice", NOW.minusSeconds(10)).approve("bob-id", "bob", "ok", NOW.minusSeconds(5),
                Duration.ofDays(1));
    }

    @Test
    void anApprovedUnexpiredGrantCoversElevatedScopesAndIsNamed() throws Exception {
        AccessPolicy policy = AccessPolicy.parse(Map.of(AccessPolicy.ALLOWED_SCOPES, "read",
                AccessPolicy.ELEVATED_SCOPES, "write,admin"));
        AccessRequest write = new AccessRequest(ip("10.0.0.1"), "client-secret", NOW, AccessRequest.scopes("read write"));
        Grant shortOne = approved("g1", "write", 60);
        Grant longOne = approved("g2", "write admin", 600);
        Evaluation granted = PolicyRules.check(policy, write, RECORD, SETTINGS, List.of(shortOne, longOne), NOW);
        assertThat(granted.decision().allowed()).isTrue();
        assertThat(granted.grant()).isSameAs(longOne);
        Grant expired = approved("g3", "write", 1);
        assertThat(PolicyRules.check(policy, write, RECORD, SETTINGS, List.of(expired), NOW).decision().code())
                .isEqualTo(DenialCode.GRANT_REQUIRED);
        Grant revoked = longOne.revoke("bob-id", "bob", "done", NOW, Duration.ofDays(1));
        assertThat(PolicyRules.check(policy, write, RECORD, SETTINGS, List.of(revoked), NOW).decision().code())
                .isEqualTo(DenialCode.GRANT_REQUIRED);
        AccessRequest plain = new AccessRequest(ip("10.0.0.1"), "client-secret", NOW, AccessRequest.scopes("read"));
        assertThat(PolicyRules.check(policy, plain, RECORD, SETTINGS, List.of(longOne), NOW).grant())
                .as("a request that needs no elevation uses no grant").isNull();
        assertThat(PolicyRules.mayCarry(policy, "write", null)).isFalse();
        assertThat(PolicyRules.mayCarry(policy, "write", longOne)).isTrue();
        assertThat(PolicyRules.mayCarry(policy, "profile", null)).isFalse();
        assertThat(PolicyRules.mayCarry(AccessPolicy.UNRESTRICTED, "profile", null)).isTrue();
    }

    @Test
    void anExplanationReportsEveryRule() throws Exception {
        AccessPolicy policy = AccessPolicy.parse(Map.of(AccessPolicy.SOURCE_CIDRS, "10.0.0.0/8",
                AccessPolicy.ALLOWED_AUTH_METHODS, "client-jwt"));
        Evaluation explained = PolicyRules.explain(policy, from("192.0.2.1"), RECORD, SETTINGS, List.of(), NOW);
        assertThat(explained.decision().code()).isEqualTo(DenialCode.SOURCE_DENIED);
        assertThat(explained.outcomes()).extracting(RuleOutcome::rule, RuleOutcome::outcome).containsExactly(
                tuple("scope", "skip"), tuple("source", "deny"),
                tuple("time", "skip"),
                tuple("auth-method", "deny"),
                tuple("secret-age", "skip"),
                tuple("review", "skip"));
        assertThat(PolicyRules.check(policy, from("192.0.2.1"), RECORD, SETTINGS, List.of(), NOW).outcomes()).isEmpty();
    }

    @Test
    void reviewCurrency() throws Exception {
        Map<String, ?> config = Map.of(AccessPolicy.REQUIRE_REVIEW_CURRENT, "true");
        assertThat(code(config, from("10.0.0.1"))).isNull();
        NhiRecord overdue = RECORD.toBuilder().createdAt(NOW.minus(Duration.ofDays(90))).build();
        assertThat(PolicyRules.check(AccessPolicy.parse(config), from("10.0.0.1"), overdue, SETTINGS, List.of(), NOW)
                .decision().code())
                .isEqualTo(DenialCode.REVIEW_OVERDUE);
    }

    @Test
    void ttlIsTheSmallestOfPolicyDefaultAndExpiry() {
        assertThat(PolicyRules.tokenTtl(AccessPolicy.parse(Map.of(AccessPolicy.MAX_TOKEN_TTL, 60)), RECORD, SETTINGS, null,
                NOW)).hasSeconds(60);
        NhiRecord soon = RECORD.toBuilder().expiresAt(NOW.plusSeconds(42)).build();
        assertThat(PolicyRules.tokenTtl(AccessPolicy.parse(Map.of(AccessPolicy.MAX_TOKEN_TTL, "600")), soon, SETTINGS, null,
                NOW)).hasSeconds(42);
        assertThat(PolicyRules.tokenTtl(AccessPolicy.parse(Map.of()), RECORD, SETTINGS, NOW.plusSeconds(17), NOW))
                .hasSeconds(17);
    }

    @Test
    void invalidConfigurationNamesTheKey() {
        assertKey(Map.of(AccessPolicy.SOURCE_CIDRS, "10.0.0.0/33"), AccessPolicy.SOURCE_CIDRS);
        assertKey(Map.of(AccessPolicy.SOURCE_CIDRS, "example.com"), AccessPolicy.SOURCE_CIDRS);
        assertKey(Map.of(AccessPolicy.SOURCE_CIDRS, "300.1.1.1"), AccessPolicy.SOURCE_CIDRS);
        assertKey(Map.of(AccessPolicy.TIME_WINDOWS, "weekdays 9-5"), AccessPolicy.TIME_WINDOWS);
        assertKey(Map.of(AccessPolicy.TIME_WINDOWS, "MON 20:00-06:00"), AccessPolicy.TIME_WINDOWS);
        assertKey(Map.of(AccessPolicy.TIME_WINDOWS, "MOX 10:00-11:00"), AccessPolicy.TIME_WINDOWS);
        assertKey(Map.of(AccessPolicy.TIME_ZONE, "Mars/Olympus"), AccessPolicy.TIME_ZONE);
        assertKey(Map.of(AccessPolicy.MAX_TOKEN_TTL, "-5"), AccessPolicy.MAX_TOKEN_TTL);
        assertKey(Map.of(AccessPolicy.MAX_TOKEN_TTL, "ten"), AccessPolicy.MAX_TOKEN_TTL);
        assertKey(Map.of(AccessPolicy.ALLOWED_AUTH_METHODS, "password"), AccessPolicy.ALLOWED_AUTH_METHODS);
        assertKey(Map.of(AccessPolicy.MAX_SECRET_AGE_DAYS, 0), AccessPolicy.MAX_SECRET_AGE_DAYS);
        assertKey(Map.of(AccessPolicy.REQUIRE_REVIEW_CURRENT, "yes"), AccessPolicy.REQUIRE_REVIEW_CURRENT);
        assertKey(Map.of(AccessPolicy.ALLOWED_SCOPES, "read write\"x"), AccessPolicy.ALLOWED_SCOPES);
        assertKey(Map.of("max-ttl", 5), "max-ttl");
    }

    @Test
    void fingerprintIsStableAndSensitive() {
        String a = AccessPolicy.parse(Map.of(AccessPolicy.MAX_TOKEN_TTL, "60", AccessPolicy.SOURCE_CIDRS, "10.0.0.0/8"))
                .fingerprint();
        assertThat(AccessPolicy.parse(Map.of(AccessPolicy.SOURCE_CIDRS, "10.0.0.0/8", AccessPolicy.MAX_TOKEN_TTL, "60"))
                .fingerprint()).isEqualTo(a).hasSize(16);
        assertThat(AccessPolicy.parse(Map.of(AccessPolicy.MAX_TOKEN_TTL, "61", AccessPolicy.SOURCE_CIDRS, "10.0.0.0/8"))
                .fingerprint()).isNotEqualTo(a);
    }

    @Test
    void cachedParsingReturnsTheSamePolicyForEqualConfigurations() {
        Map<String, Object> config = new HashMap<>(Map.of(AccessPolicy.MAX_TOKEN_TTL, "77"));
        AccessPolicy first = AccessPolicy.cached(config);
        assertThat(AccessPolicy.cached(new LinkedHashMap<>(config))).isSameAs(first);
        config.put(AccessPolicy.MAX_TOKEN_TTL, "78");
        assertThat(AccessPolicy.cached(config).maxTokenTtl()).hasSeconds(78);
        assertThat(AccessPolicy.cached(Map.of(AccessPolicy.MAX_TOKEN_TTL, "77"))).isSameAs(first);
    }

    private static void assertKey(Map<String, ?> config, String key) {
        assertThatThrownBy(() -> AccessPolicy.parse(config)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo(key));
    }
}
