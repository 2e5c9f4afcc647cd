package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    /** The realm's id, which outlives its deletion in the tests that look for its rows. */
    final String id;
    final RealmAdmin admin;
    final RestClient rest;
    /** Every client-credentials request of the tests goes through this standard OAuth 2.0 client. */
    final OAuthClient oauth;
    final Map<String, String> userIds = new LinkedHashMap<>();
    private final Database database;

    NhiRealm(KeycloakExtension.Env env, String prefix, String mode) {
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.admin = env.admin();
        this.rest = env.rest();
        this.oauth = new OAuthClient(URI.create(rest.baseUrl()), name);
        this.database = env.database();
        admin.createRealm(name);
        this.id = rest.get("/admin/realms/" + name, admin.token()).json().get("id").asText();
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

    /** A client-credentials token for a client created here (its secret is {@link #secretOf}). */
    OAuthClient.Result token(String clientId, String... scopes) {
        return oauth.clientCredentials(clientId, secretOf(clientId), scopes);
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

    /** Runs {@code body} under changed settings, and puts {@code restore} back whatever happens. */
    void withSettings(Map<String, Object> change, Map<String, Object> restore, Runnable body) {
        settings(change);
        try {
            body.run();
        } finally {
            settings(restore);
        }
    }

    /**
     * Moves the record's creation {@code age} back, in the database itself: no API dates a record in the
     * past, and the shortest review interval is a day. Call it before the client's first token request,
     * since the token path caches records.
     */
    void backdate(String clientId, Duration age) {
        try (Connection c = postgres("backdating").connect();
             PreparedStatement update = c.prepareStatement("update NHI_RECORD set CREATED_AT = CREATED_AT - ?,"
                     + " REVIEW_BASE_AT = REVIEW_BASE_AT - ? where ID = ?")) {
            update.setLong(1, age.toMillis());
            update.setLong(2, age.toMillis());
            update.setString(3, record(clientId).get("id").asText());
            assertThat(update.executeUpdate()).as("records of " + clientId).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot backdate " + clientId + ": " + e.getMessage(), e);
        }
    }

    /** The realm's rows in one of the extension's tables, counted in the database itself. */
    int rowsIn(String table) {
        return rowsIn(table, id);
    }

    /** The same for any realm id, also one of a realm that no longer exists. */
    int rowsIn(String table, String realmId) {
        try (Connection c = postgres("counting rows").connect();
             PreparedStatement count = c.prepareStatement("select count(*) from " + table + " where REALM_ID = ?")) {
            count.setString(1, realmId);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the rows of realm id " + realmId + " in " + table + ": "
                    + e.getMessage(), e);
        }
    }

    /** PostgreSQL only: H2 lives inside the Keycloak process, out of a test's reach. */
    private Database.FreshPostgres postgres(String what) {
        if (!(database instanceof Database.FreshPostgres postgres)) {
            throw new IllegalStateException(what + " reaches into the database, which only PostgreSQL lets a test"
                    + " reach: tag the test @Tag(\"database-access\"), which the H2 run excludes");
        }
        return postgres;
    }

    /** The server's log line for a request that audit mode let through although it fails {@code code}. */
    String auditLine(String clientId, String code) {
        return "realm=" + name + " client=" + clientId + " record=\\S+ audit mode, token issued but would be denied: "
                + code + ":";
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

    /**
     * Deletes the realm and checks that it is gone, at whatever moment the evidence drain is at: the drain
     * writes nothing of the realm's own, so no foreign key can make the deletion fail.
     */
    void delete() {
        RealmAdmin.expect(rest.delete("/admin/realms/" + name, admin.token()), 204, "delete realm " + name);
        assertThat(rest.get("/admin/realms/" + name, admin.token()).status()).as("realm " + name + " deleted")
                .isEqualTo(404);
    }

    @Override
    public void close() {
        admin.deleteRealm(name);
    }
}
