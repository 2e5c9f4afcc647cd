package dev.nhi.launcher;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs Keycloak 26.7.3 with the extension on the embedded default (dev mode, H2 on disk) and a
 * ready-to-use realm {@value #REALM}, until Ctrl-C. Seeds the realm only once; later runs reuse it.
 */
public final class DemoServer {
    static final String REALM = "demo";
    private static final String PASSWORD = "demo";

    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("nhi.demo.port", 8080);
        KeycloakServer.Options options = KeycloakServer.Options.fromSystemProperties()
                .ports(port, Integer.getInteger("nhi.demo.management-port", 9000))
                .database(Database.h2File());
        System.out.println("Starting Keycloak 26.7.3 with the NHI extension on port " + port + " ...");
        KeycloakServer server = KeycloakServer.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        RealmAdmin admin = new RealmAdmin(new RestClient(server.baseUrl()));
        if (!admin.realmExists(REALM)) {
            seed(admin);
        } else {
            // Idempotent: a demo realm made by an older version gets what this version adds (the console client).
            RealmAdmin.expect(admin.rest().post("/admin/realms/" + REALM + "/nhi/setup", admin.token(),
                    Map.of("mode", "enforce")), 200, "NHI setup");
        }
        printWelcome(server);
        server.awaitExit();
    }

    private static void seed(RealmAdmin admin) {
        RestClient rest = admin.rest();
        admin.createRealm(REALM);
        RealmAdmin.expect(rest.post("/admin/realms/" + REALM + "/nhi/setup", admin.token(), Map.of("mode", "enforce")),
                200, "NHI setup");
        admin.createUser(REALM, "alice", PASSWORD);
        admin.createUser(REALM, "bob", PASSWORD, "nhi-admin");
        admin.createUser(REALM, "dana", PASSWORD, "nhi-admin");
        admin.createUser(REALM, "carol", PASSWORD, "nhi-auditor");
        Instant now = Instant.now();
        register(admin, "billing-exporter", "service-account", "Exports invoices to the ERP every night", "prod",
                now.plus(90, ChronoUnit.DAYS));
        register(admin, "ci-deployer", "workload", "Deploys services from the CI pipeline", "staging",
                now.plus(10, ChronoUnit.DAYS));
        register(admin, "support-agent", "ai-agent", "AI support assistant reading ticket history", "prod",
                now.plus(30, ChronoUnit.DAYS));
        // Left unregistered on purpose: enforce mode refuses its tokens with nhi_unregistered.
        RealmAdmin.expect(admin.createServiceClient(REALM, "legacy-report", "legacy-report-secret", Map.of()), 201,
                "create legacy-report");
    }

    private static void register(RealmAdmin admin, String clientId, String kind, String purpose, String env,
                                 Instant expiresAt) {
        RealmAdmin.expect(admin.createServiceClient(REALM, clientId, clientId + "-secret", Map.of()), 201,
                "create " + clientId);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("clientId", clientId);
        record.put("owner", "alice");
        record.put("kind", kind);
        record.put("purpose", purpose);
        record.put("environment", env);
        record.put("expiresAt", expiresAt.truncatedTo(ChronoUnit.SECONDS).toString());
        record.put("provenance", Map.of("system", "demo", "reference", "README"));
        RealmAdmin.expect(admin.rest().post("/admin/realms/" + REALM + "/nhi/identities", admin.token(), record), 201,
                "register " + clientId);
    }

    private static void printWelcome(KeycloakServer server) {
        String base = server.baseUrl();
        System.out.println("""

                Keycloak is ready at %1$s  (admin console: %1$s/admin  admin/admin)
                NHI console: %1$s/realms/%2$s/nhi/console/
                Realm '%2$s' in enforce mode. Users (password '%3$s'): alice (owner), bob and dana (nhi-admin), carol (nhi-auditor).
                NHIs: billing-exporter, ci-deployer, support-agent (registered), legacy-report (unregistered).

                  curl -s -d grant_type=client_credentials -u billing-exporter:billing-exporter-secret \\
                       %1$s/realms/%2$s/protocol/openid-connect/token
                  curl -s -d grant_type=client_credentials -u legacy-report:legacy-report-secret \\
                       %1$s/realms/%2$s/protocol/openid-connect/token      # -> nhi_unregistered
                  TOKEN=$(curl -s -d grant_type=password -d client_id=nhi-cli -d username=bob -d password=%3$s \\
                       %1$s/realms/%2$s/protocol/openid-connect/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
                  curl -s -H "Authorization: Bearer $TOKEN" %1$s/admin/realms/%2$s/nhi/identities

                Server log: %4$s   Stop with Ctrl-C.
                """.formatted(base, REALM, PASSWORD, server.log()));
    }
}
