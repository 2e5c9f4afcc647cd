package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input is answered 400 naming the field, and a re-read shows that nothing was written. */
class ValidationIT extends RealmTest {
    private static final String TEN_KB = "x".repeat(10 * 1024);
    private String freeClient;
    private String registered;
    private String notServiceAccount;

    ValidationIT() {
        super("validation", "enforce");
    }

    @BeforeAll
    void realm() {
        freeClient = realm.newClient("free");
        registered = realm.registeredClient("registered");
        notServiceAccount = "browser-app";
        RealmAdmin.expect(realm.rest.post("/admin/realms/" + realm.name + "/clients", realm.admin.token(),
                Map.of("clientId", notServiceAccount, "publicClient", true)), 201, "public client");
        realm.settings(Map.of("maxLifetimeDays", 30));
    }

    private Stream<Arguments> badRegistrations() {
        Instant ok = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        return Stream.of(
                Arguments.of("missing clientId", without("clientId"), "clientId"),
                Arguments.of("missing owner", without("owner"), "owner"),
                Arguments.of("missing purpose", without("purpose"), "purpose"),
                Arguments.of("missing expiresAt", without("expiresAt"), "expiresAt"),
                Arguments.of("empty purpose", with("purpose", "  "), "purpose"),
                Arguments.of("unknown owner", with("owner", "nobody-here"), "owner"),
                Arguments.of("service account as owner", with("owner", "service-account-" + freeClient), "owner"),
                Arguments.of("expiresAt in the past", with("expiresAt", ok.minus(20, ChronoUnit.DAYS).toString()), "expiresAt"),
                Arguments.of("expiresAt beyond maxLifetimeDays", with("expiresAt", ok.plus(60, ChronoUnit.DAYS).toString()), "expiresAt"),
                Arguments.of("expiresAt not a time", with("expiresAt", "next tuesday"), "expiresAt"),
                Arguments.of("purpose of 10 kB", with("purpose", TEN_KB), "purpose"),
                Arguments.of("clientId of 10 kB", with("clientId", TEN_KB), "clientId"),
                Arguments.of("purpose a number", with("purpose", 42), "purpose"),
                Arguments.of("owner an object", with("owner", Map.of("id", "x")), "owner"),
                Arguments.of("unknown kind", with("kind", "robot"), "kind"),
                Arguments.of("bad environment", with("environment", "Prod Env!"), "environment"),
                Arguments.of("unknown group", with("ownerGroup", "/no/such/group"), "ownerGroup"),
                Arguments.of("provenance a string", with("provenance", "terraform"), "provenance"),
                Arguments.of("unknown provenance field", with("provenance", Map.of("repo", "x")), "provenance.repo"),
                Arguments.of("read-only field", with("status", "active"), "status"),
                Arguments.of("unknown field", with("ownr", "alice"), "ownr"),
                Arguments.of("not a service-account client", with("clientId", notServiceAccount), "clientId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRegistrations")
    void registrationRefused(String name, Map<String, Object> body, String field) {
        assertRefused(realm.register(body), field);
        String reread = body.get("clientId") instanceof String s && s.length() < 256 ? s : freeClient;
        assertThat(realm.rest.get(realm.api("/identities/" + reread), realm.adminToken()).status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformedJsonRefused(String name, String body) {
        assertRefused(realm.rest.post(realm.api("/identities"), realm.adminToken(), body), "body");
        assertThat(realm.rest.get(realm.api("/identities/" + freeClient), realm.adminToken()).status()).isEqualTo(404);
    }

    private static Stream<Arguments> malformedBodies() {
        return Stream.of(Arguments.of("truncated", "{\"clientId\": \"x\""), Arguments.of("array", "[1,2]"),
                Arguments.of("text", "hello"), Arguments.of("trailing garbage", "{} {}"),
                Arguments.of("oversized", "{\"purpose\": \"" + "y".repeat(70_000) + "\"}"));
    }

    @Test
    void unknownClientIs404AndDuplicateIs409() {
        Map<String, Object> unknown = base();
        unknown.put("clientId", "no-such-client");
        assertThat(realm.register(unknown).status()).isEqualTo(404);
        Map<String, Object> duplicate = base();
        duplicate.put("clientId", registered);
        assertThat(realm.register(duplicate).status()).isEqualTo(409);
        assertThat(realm.rest.get(realm.api("/identities/no-such-client"), realm.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void badChangesWriteNothing() {
        String path = realm.api("/identities/" + registered);
        JsonNode before = realm.record(registered);
        assertRefused(realm.rest.patch(path, realm.adminToken(), Map.of("expiresAt", "2000-01-01T00:00:00Z")), "expiresAt");
        assertRefused(realm.rest.patch(path, realm.adminToken(), Map.of("owner", "nobody-here")), "owner");
        assertRefused(realm.rest.patch(path, realm.adminToken(), Map.of("clientId", "renamed")), "clientId");
        assertRefused(realm.rest.patch(path, realm.adminToken(), Map.of()), "body");
        assertRefused(realm.rest.patch(path, realm.adminToken(), Map.of("purpose", TEN_KB)), "purpose");
        assertRefused(realm.rest.post(path + "/suspend", realm.adminToken(), Map.of()), "reason");
        assertRefused(realm.rest.post(path + "/suspend", realm.adminToken(), Map.of("reason", "")), "reason");
        assertRefused(realm.rest.post(path + "/review", realm.adminToken(), Map.of("decision", "maybe")), "decision");
        assertRefused(realm.rest.get(realm.api("/identities?status=sleeping"), realm.adminToken()), "status");
        assertRefused(realm.rest.get(realm.api("/identities?max=100000"), realm.adminToken()), "max");
        assertRefused(realm.rest.get(realm.api("/identities?first=abc"), realm.adminToken()), "first");
        assertThat(realm.record(registered)).isEqualTo(before);
    }

    @Test
    void badSettingsWriteNothing() {
        JsonNode before = realm.rest.get(realm.api("/settings"), realm.adminToken()).json();
        assertRefused(realm.rest.put(realm.api("/settings"), realm.adminToken(), Map.of("mode", "strict")), "mode");
        assertRefused(realm.rest.put(realm.api("/settings"), realm.adminToken(),
                Map.of("reviewIntervalDays", 30, "maxLifetimeDays", -1)), "maxLifetimeDays");
        assertRefused(realm.rest.put(realm.api("/settings"), realm.adminToken(), Map.of("requireRecord", "yes")), "requireRecord");
        assertRefused(realm.rest.put(realm.api("/settings"), realm.adminToken(), Map.of("staleDays", 3)), "staleDays");
        assertRefused(realm.rest.put(realm.api("/settings"), realm.adminToken(), Map.of("defaultTokenTtlSeconds", 1.5)),
                "defaultTokenTtlSeconds");
        assertRefused(realm.rest.post(realm.api("/setup"), realm.admin.token(), Map.of("mode", "everything")), "mode");
        assertThat(realm.rest.get(realm.api("/settings"), realm.adminToken()).json()).isEqualTo(before);
    }

    private static void assertRefused(RestClient.Reply reply, String field) {
        assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
        assertThat(reply.text("error")).isEqualTo("invalid_request");
        assertThat(reply.text("field")).isEqualTo(field);
        assertThat(reply.text("message")).isNotBlank();
    }

    private Map<String, Object> base() {
        return NhiRealm.registration(freeClient, Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    }

    private Map<String, Object> without(String field) {
        Map<String, Object> body = base();
        body.remove(field);
        return body;
    }

    private Map<String, Object> with(String field, Object value) {
        Map<String, Object> body = new LinkedHashMap<>(base());
        body.put(field, value);
        return body;
    }
}
