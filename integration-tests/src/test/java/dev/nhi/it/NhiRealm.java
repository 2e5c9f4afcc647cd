package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A realm of one test class, set up for NHI governance, with people in each role:
 * alice owns records, bob and dana are nhi-admins, carol is an nhi-auditor, mallory may manage clients
 * (and nothing else). Deleted on close, which also exercises the extension's realm cleanup.
 */
final class NhiRealm implements AutoCloseable {
    static final String PASSWORD = "secret-pw";
    static final String OWNER = "alice";
    static final String ADMIN = "bob";
    static final String SECOND_ADMIN = "dana";
    static final String AUDITOR = "carol";
    static final String CLIENT_MANAGER = "mallory";
    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final RealmAdmin admin;
    final RestClient rest;
    final Map<String, String> userIds = new LinkedHashMap<>();

    NhiRealm(KeycloakExtension.Env env, String prefix, String mode) {
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.admin = env.admin();
        this.rest = env.rest();
        admin.createRealm(name);
        RealmAdmin.expect(rest.post(api("/setup"), admin.token(), Map.of("mode", mode)), 200, "setup");
        userIds.put(OWNER, admin.createUser(name, OWNER, PASSWORD));
        userIds.put(ADMIN, admin.createUser(name, ADMIN, PASSWORD, "nhi-admin"));
        userIds.put(SECOND_ADMIN, admin.createUser(name, SECOND_ADMIN, PASSWORD, "nhi-admin"));
        userIds.put(AUDITOR, admin.createUser(name, AUDITOR, PASSWORD, "nhi-auditor"));
        userIds.put(CLIENT_MANAGER, admin.createUser(name, CLIENT_MANAGER, PASSWORD));
        admin.grantRealmManagementRole(name, userIds.get(CLIENT_MANAGER), "manage-clients");
    }

    /** {@code /admin/realms/<realm>/nhi<path>} */
    String api(String path) {
        return "/admin/realms/" + name + "/nhi" + path;
    }

    String userToken(String username) {
        return rest.userToken(name, RealmAdmin.LOGIN_CLIENT, username, PASSWORD);
    }

    String adminToken() {
        return userToken(ADMIN);
    }

    static String secretOf(String clientId) {
        return clientId + "-secret";
    }

    String newClient(String prefix) {
        String clientId = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        RealmAdmin.expect(admin.createServiceClient(name, clientId, secretOf(clientId), Map.of()), 201, "client");
        return clientId;
    }

    static Map<String, Object> registration(String clientId, Instant expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", clientId);
        body.put("owner", OWNER);
        body.put("purpose", "integration test of " + clientId);
        body.put("environment", "dev");
        body.put("kind", "workload");
        body.put("expiresAt", expiresAt.toString());
        return body;
    }

    RestClient.Reply register(Map<String, Object> body) {
        return rest.post(api("/identities"), adminToken(), body);
    }

    /** A new service-account client with an active record owned by alice; returns its clientId. */
    String registeredClient(String prefix) {
        return registeredClient(prefix, OWNER);
    }

    /** A new service-account client with an active record owned by {@code owner} (username or id). */
    String registeredClient(String prefix, String owner) {
        String clientId = newClient(prefix);
        Map<String, Object> body = registration(clientId, Instant.now().plus(30, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS));
        body.put("owner", owner);
        RealmAdmin.expect(register(body), 201, "register " + clientId);
        return clientId;
    }

    RestClient.Reply token(String clientId) {
        return rest.clientCredentials(name, clientId, secretOf(clientId));
    }

    JsonNode record(String clientId) {
        return RealmAdmin.expect(rest.get(api("/identities/" + clientId), adminToken()), 200, "record").json();
    }

    RestClient.Reply action(String clientId, String action, String reason) {
        return rest.post(api("/identities/" + clientId + "/" + action), adminToken(), Map.of("reason", reason));
    }

    void settings(Map<String, Object> changes) {
        RealmAdmin.expect(rest.put(api("/settings"), adminToken(), changes), 200, "settings");
    }

    /** Replaces the configuration of the {@code nhi} profile's executor, as the admin console's form does. */
    RestClient.Reply configurePolicy(Map<String, Object> config) {
        String path = "/admin/realms/" + name + "/client-policies/profiles";
        JsonNode all = rest.get(path, admin.token()).json();
        for (JsonNode profile : all.get("profiles")) {
            if (profile.get("name").asText().equals("nhi")) {
                ((ObjectNode) profile.get("executors").get(0)).set("configuration", JSON.valueToTree(config));
            }
        }
        return rest.put(path, admin.token(), all);
    }

    /** The payload of a JWT, decoded without verification. */
    static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The token endpoint's refusal: 400 with the contract's error and description prefix. */
    static void assertDenied(RestClient.Reply reply, String code) {
        assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
        assertThat(reply.text("error")).isEqualTo("unauthorized_client");
        assertThat(reply.text("error_description")).startsWith(code + ":");
    }

    static void assertIssued(RestClient.Reply reply) {
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.text("access_token")).isNotBlank();
    }

    /** Polls until the condition holds; fails after {@code timeout}. Bounded, never a fixed sleep. */
    static <T> T await(Duration timeout, Supplier<T> probe, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + value);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            value = probe.get();
        }
        return value;
    }

    @Override
    public void close() {
        admin.deleteRealm(name);
    }
}
