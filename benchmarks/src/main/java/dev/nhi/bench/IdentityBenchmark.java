package dev.nhi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import dev.nhi.launcher.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The identity layer's figures, each beside a baseline in the same run:
 * (1) list/filter latency at 100,000 records on PostgreSQL, (2) client-credentials throughput of
 * Keycloak with the extension in enforce mode against vanilla Keycloak, alternating A/B/A/B,
 * (3) evidence delivery to the jdbc sink after a sink outage.
 * Writes a Markdown table to {@code target/bench/results.md}.
 */
public final class IdentityBenchmark {
    private static final String REALM = "bench";
    private static final int RECORDS = Integer.getInteger("nhi.bench.records", 100_000);
    private static final int SAMPLES = Integer.getInteger("nhi.bench.samples", 40);
    private static final int CONNECTIONS = Integer.getInteger("nhi.bench.connections", 8);
    private static final Duration ROUND = Duration.ofSeconds(Integer.getInteger("nhi.bench.round-seconds", 20));
    private static final int ROUNDS = Integer.getInteger("nhi.bench.rounds", 2);

    private IdentityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        KeycloakServer.Options base = KeycloakServer.Options.fromSystemProperties();
        Path work = Path.of(System.getProperty("nhi.work.dir"));
        StringBuilder md = new StringBuilder("# Identity layer benchmarks\n\n")
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(Instant.now()).append("\n\n");
        // e.g. -Dnhi.bench.parts=token for a longer throughput run alone
        List<String> parts = List.of(System.getProperty("nhi.bench.parts", "list,token,drain").split(","));
        if (parts.contains("list")) {
            md.append(listLatency(base, work));
        }
        if (parts.contains("token")) {
            md.append(tokenThroughput(base, work));
        }
        if (parts.contains("drain")) {
            md.append(evidenceDrain(base, work));
        }
        Files.writeString(work.resolve("results.md"), md);
        System.out.println(md);
    }

    /** Seeds the records straight into Keycloak's database, then times the REST list calls. */
    private static String listLatency(KeycloakServer.Options base, Path work) throws Exception {
        try (Database.FreshPostgres db = (Database.FreshPostgres) Database.freshPostgres("127.0.0.1", 5432);
             KeycloakServer server = KeycloakServer.start(copy(base, work.resolve("list")).database(db))) {
            RealmAdmin admin = new RealmAdmin(new RestClient(server.baseUrl()));
            admin.createRealm(REALM);
            RealmAdmin.expect(admin.rest().post("/admin/realms/" + REALM + "/nhi/setup", admin.token(),
                    Map.of("mode", "enforce")), 200, "setup");
            String realmId = admin.rest().get("/admin/realms/" + REALM, admin.token()).json().get("id").asText();
            List<String> owners = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                owners.add(admin.createUser(REALM, "owner" + i, "pw"));
            }
            seed(db.jdbcUrl(), realmId, owners);
            String token = admin.token();
            Map<String, String> queries = new LinkedHashMap<>();
            queries.put("first page, no filter", "/identities");
            queries.put("status=active", "/identities?status=active");
            queries.put("flag=EXPIRING", "/identities?flag=EXPIRING");
            queries.put("flag=STALE", "/identities?flag=STALE");
            queries.put("owner=owner7", "/identities?owner=owner7");
            queries.put("kind=ai-agent&environment=prod", "/identities?kind=ai-agent&environment=prod");
            queries.put("search=billing-0042", "/identities?search=billing-0042");
            queries.put("deep page first=90000", "/identities?first=90000&max=100");
            // The console's dashboard makes these two calls, in parallel.
            queries.put("report (dashboard)", "/identities/report");
            queries.put("evidence/daily?days=30 (dashboard)", "/evidence/daily?days=30");
            StringBuilder md = new StringBuilder("## List and filter latency, " + RECORDS
                    + " records, PostgreSQL, page of 100\n\n| query | p50 ms | p95 ms | total matched |\n|---|---:|---:|---:|\n");
            for (Map.Entry<String, String> q : queries.entrySet()) {
                String path = "/admin/realms/" + REALM + "/nhi" + q.getValue();
                RestClient.Reply warm = RealmAdmin.expect(admin.rest().get(path, token), 200, q.getKey());
                List<Long> nanos = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    if (i % 20 == 0) {
                        token = admin.token();
                    }
                    long start = System.nanoTime();
                    RealmAdmin.expect(admin.rest().get(path, token), 200, q.getKey());
                    nanos.add(System.nanoTime() - start);
                }
                String matched = warm.field("total") != null ? warm.text("total") : "-";
                md.append(String.format("| %s | %.1f | %.1f | %s |%n", q.getKey(),
                        LoadGenerator.percentileMillis(nanos, 50), LoadGenerator.percentileMillis(nanos, 95), matched));
            }
            return md.append('\n').toString();
        }
    }

    private static void seed(String jdbcUrl, String realmId, List<String> owners) throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("user", "postgres");
        String[] kinds = {"service-account", "workload", "ai-agent", "api-integration"};
        String[] envs = {"prod", "staging", "dev"};
        long now = Instant.now().toEpochMilli();
        long day = Duration.ofDays(1).toMillis();
        try (Connection c = new org.postgresql.Driver().connect(jdbcUrl, credentials)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO NHI_RECORD (ID, REALM_ID, CLIENT_UUID, CLIENT_ID,"
                    + " KIND, OWNER_ID, PURPOSE, ENVIRONMENT, STATUS, CREATED_AT, EXPIRES_AT, REVIEW_BASE_AT,"
                    + " LAST_USED_AT, ACTIVITY_AT, VERSION) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)")) {
                for (int i = 0; i < RECORDS; i++) {
                    long created = now - (i % 400) * day;
                    long used = now - (i % 200) * day;
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.setString(2, realmId);
                    ps.setString(3, UUID.randomUUID().toString());
                    ps.setString(4, String.format("billing-%06d", i));
                    ps.setString(5, kinds[i % kinds.length]);
                    ps.setString(6, owners.get(i % owners.size()));
                    ps.setString(7, "synthetic record " + i);
                    ps.setString(8, envs[i % envs.length]);
                    ps.setString(9, i % 50 == 0 ? "suspended" : "active");
                    ps.setLong(10, created);
                    ps.setLong(11, now + (1 + i % 365) * day);
                    ps.setLong(12, created);
                    ps.setLong(13, used);
                    ps.setLong(14, used);
                    ps.addBatch();
                    if (i % 5000 == 4999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE NHI_RECORD");
            }
        }
    }

    /** What runs beside vanilla Keycloak: the extension enforcing, without and with evidence. */
    private enum Governance {
        NONE("vanilla Keycloak 26.7.3"),
        ENFORCE("with NHI extension, enforce, evidence off"),
        ENFORCE_FILE("with NHI extension, enforce, evidence to the file sink"),
        ENFORCE_JDBC("with NHI extension, enforce, evidence to the jdbc sink (PostgreSQL)");

        final String label;

        Governance(String label) {
            this.label = label;
        }
    }

    /**
     * Vanilla Keycloak, and Keycloak with the extension in enforce mode with every executor condition
     * configured (and passing), without evidence, with evidence to the file sink, and with evidence to the jdbc
     * sink; Keycloak on H2, the jdbc sink on the machine's PostgreSQL; alternating rounds.
     */
    private static String tokenThroughput(KeycloakServer.Options base, Path work) throws Exception {
        Map<String, List<LoadGenerator.Result>> results = new LinkedHashMap<>();
        try (Database.FreshPostgres sinkDb = (Database.FreshPostgres) Database.freshPostgres("127.0.0.1", 5432);
             KeycloakServer vanilla = KeycloakServer.start(new KeycloakServer.Options(distZip(), null,
                     work.resolve("vanilla")).database(Database.h2InMemory()));
             KeycloakServer governed = KeycloakServer.start(copy(base, work.resolve("governed"))
                     .database(Database.h2InMemory()));
             KeycloakServer toFile = KeycloakServer.start(copy(base, work.resolve("evidence-file"))
                     .database(Database.h2InMemory())
                     .option("spi-events-listener--nhi-evidence--sinks", "file"));
             KeycloakServer toJdbc = KeycloakServer.start(copy(base, work.resolve("evidence-jdbc"))
                     .database(Database.h2InMemory())
                     .option("spi-events-listener--nhi-evidence--sinks", "jdbc")
                     .option("spi-events-listener--nhi-evidence--jdbc-url", sinkDb.jdbcUrl())
                     .option("spi-events-listener--nhi-evidence--jdbc-user", "postgres"))) {
            Map<Governance, Target> targets = new LinkedHashMap<>();
            targets.put(Governance.NONE, prepare(vanilla, Governance.NONE));
            targets.put(Governance.ENFORCE, prepare(governed, Governance.ENFORCE));
            targets.put(Governance.ENFORCE_FILE, prepare(toFile, Governance.ENFORCE_FILE));
            targets.put(Governance.ENFORCE_JDBC, prepare(toJdbc, Governance.ENFORCE_JDBC));
            // Warm all up, then alternate A/B/C/A/B/C with the same connections and duration.
            for (Target target : targets.values()) {
                target.load(Duration.ofSeconds(10));
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (Map.Entry<Governance, Target> e : targets.entrySet()) {
                    results.computeIfAbsent(e.getKey().label, k -> new ArrayList<>()).add(e.getValue().load(ROUND));
                }
            }
        }
        StringBuilder md = new StringBuilder("## Client-credentials throughput, H2, " + CONNECTIONS + " connections, "
                + ROUNDS + " alternating rounds of " + ROUND.toSeconds() + " s\n\n"
                + "| server | requests/s | p50 ms | p99 ms | errors | ratio to vanilla | per round: median (min–max) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        double baseline = 0;
        List<LoadGenerator.Result> vanillaRounds = results.values().iterator().next();
        for (Map.Entry<String, List<LoadGenerator.Result>> e : results.entrySet()) {
            long requests = 0;
            long errors = 0;
            double seconds = 0;
            List<Long> latencies = new ArrayList<>();
            for (LoadGenerator.Result r : e.getValue()) {
                requests += r.requests();
                errors += r.errors();
                seconds += r.seconds();
                latencies.addAll(r.latenciesNanos());
            }
            double throughput = requests / seconds;
            if (baseline == 0) {
                baseline = throughput;
            }
            // each round against vanilla's round just before it: robust to the machine's speed drifting
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < e.getValue().size(); round++) {
                ratios.add(e.getValue().get(round).throughput() / vanillaRounds.get(round).throughput());
            }
            ratios.sort(null);
            double median = ratios.size() % 2 == 1 ? ratios.get(ratios.size() / 2)
                    : (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2)) / 2;
            md.append(String.format("| %s | %.0f | %.1f | %.1f | %d | %.3f | %.3f (%.3f–%.3f) |%n", e.getKey(),
                    throughput, LoadGenerator.percentileMillis(latencies, 50),
                    LoadGenerator.percentileMillis(latencies, 99), errors, throughput / baseline, median, ratios.get(0),
                    ratios.get(ratios.size() - 1)));
        }
        return md.append('\n').toString();
    }

    /** A token endpoint and the credentials of the client "load" there. */
    private record Target(String tokenUrl, String secret) {
        LoadGenerator.Result load(Duration duration) throws Exception {
            return load(duration, 0);
        }

        LoadGenerator.Result load(Duration duration, double perSecond) throws Exception {
            return LoadGenerator.run(tokenUrl, "load", secret, CONNECTIONS, duration, perSecond);
        }
    }

    /**
     * The jdbc sink (the machine's PostgreSQL, behind a proxy the benchmark cuts) after an outage: first
     * {@link #OUTAGE} at {@link #OUTAGE_LOAD} tokens/s, restored with that load going on; then an outage
     * under full load, restored with no load, for the delivery rate alone.
     */
    private static String evidenceDrain(KeycloakServer.Options base, Path work) throws Exception {
        StringBuilder md = new StringBuilder("## Evidence delivery to the jdbc sink after an outage, H2\n\n"
                + "| case | token p50 / p99 ms, sink up | token p50 / p99 ms, sink cut | records waiting at restore"
                + " | until all delivered, s | delivered/s once resumed |\n|---|---:|---:|---:|---:|---:|\n");
        try (Database.FreshPostgres sinkDb = (Database.FreshPostgres) Database.freshPostgres("127.0.0.1", 5432);
             TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             KeycloakServer server = KeycloakServer.start(copy(base, work.resolve("drain"))
                     .database(Database.h2InMemory())
                     .option("spi-events-listener--nhi-evidence--sinks", "jdbc")
                     .option("spi-events-listener--nhi-evidence--jdbc-url", sinkDb.jdbcUrl()
                             .replace("127.0.0.1:5432/", "127.0.0.1:" + proxy.port() + "/"))
                     .option("spi-events-listener--nhi-evidence--jdbc-user", "postgres"))) {
            Target target = prepare(server, Governance.ENFORCE_JDBC);
            RealmAdmin admin = new RealmAdmin(new RestClient(server.baseUrl()));
            target.load(Duration.ofSeconds(10));
            md.append(outage(target, admin, proxy, OUTAGE_LOAD, OUTAGE_LOAD)
                    .row(String.format("%.0f s outage at %.0f tokens/s, load goes on", OUTAGE.toSeconds() * 1.0,
                            OUTAGE_LOAD)));
            md.append(outage(target, admin, proxy, 0, -1)
                    .row(String.format("%.0f s outage at full load, no load after", OUTAGE.toSeconds() * 1.0)));
        }
        return md.append('\n').toString();
    }

    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("nhi.bench.outage-seconds", 60));
    private static final double OUTAGE_LOAD = 300;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(300);

    /** One outage's figures: token latency before and during it, then the delivery of the backlog. */
    private record Drain(LoadGenerator.Result up, LoadGenerator.Result cut, long waiting, double seconds,
                         double backoffSeconds, double perSecond) {
        String row(String label) {
            return String.format("| %s | %.1f / %.1f | %.1f / %.1f | %d | %.1f (%.1f of them backoff) | %.0f |%n", label,
                    LoadGenerator.percentileMillis(up.latenciesNanos(), 50),
                    LoadGenerator.percentileMillis(up.latenciesNanos(), 99),
                    LoadGenerator.percentileMillis(cut.latenciesNanos(), 50),
                    LoadGenerator.percentileMillis(cut.latenciesNanos(), 99), waiting, seconds, backoffSeconds,
                    perSecond);
        }
    }

    /**
     * Measures 20 s of load ({@code duringPerSecond}, 0 for full load) with the sink up, cuts the sink for
     * {@link #OUTAGE} under the same load, restores it (with load at {@code afterPerSecond} going on, or none
     * when negative), and times the delivery of every record written before the restore.
     */
    private static Drain outage(Target target, RealmAdmin admin, TcpProxy proxy, double duringPerSecond,
                                double afterPerSecond) throws Exception {
        LoadGenerator.Result up = target.load(Duration.ofSeconds(20), duringPerSecond);
        long shippedBefore = shipped(evidenceStatus(admin));
        proxy.cut();
        LoadGenerator.Result cut = target.load(OUTAGE, duringPerSecond);
        JsonNode atRestore = evidenceStatus(admin);
        long written = atRestore.get("chainSeq").asLong() + atRestore.get("unchained").asLong();
        proxy.restore();
        long restored = System.nanoTime();
        long shipped = shippedBefore;
        long resumed = 0;
        long shippedAtResume = shippedBefore;
        while (System.nanoTime() - restored < RECOVERY_LIMIT.toNanos()) {
            shipped = shipped(evidenceStatus(admin));
            if (resumed == 0 && shipped > shippedBefore) {
                // the sink's retry backoff (up to 30 s after a long outage) ends here
                resumed = System.nanoTime();
                shippedAtResume = shipped;
            }
            if (shipped >= written) {
                break;
            }
            if (afterPerSecond < 0) {
                Thread.sleep(250);
            } else {
                target.load(Duration.ofMillis(500), afterPerSecond);
            }
        }
        long delivered = System.nanoTime();
        double seconds = (delivered - restored) / 1e9;
        if (shipped < written) {
            throw new IllegalStateException("the jdbc sink got to seq " + shipped + " of " + written + " in "
                    + RECOVERY_LIMIT.toSeconds() + " s");
        }
        double shipping = Math.max(delivered - resumed, 250_000_000L) / 1e9;
        return new Drain(up, cut, written - shippedBefore, seconds, (resumed - restored) / 1e9,
                (shipped - shippedAtResume) / shipping);
    }

    /** The jdbc sink's last {@code seq} (0 when it holds nothing or cannot be read). */
    private static long shipped(JsonNode status) {
        return status.get("sinks").get("jdbc").path("lastSeq").asLong(0);
    }

    private static JsonNode evidenceStatus(RealmAdmin admin) {
        return RealmAdmin.expect(admin.rest().get("/admin/realms/" + REALM + "/nhi/evidence/status", admin.token()),
                200, "evidence status").json();
    }

    /** A realm with one confidential service-account client "load"; registered and enforced when governed. */
    private static Target prepare(KeycloakServer server, Governance governance) {
        RealmAdmin admin = new RealmAdmin(new RestClient(server.baseUrl()));
        admin.createRealm(REALM);
        RealmAdmin.expect(admin.createServiceClient(REALM, "load", "initial-secret", Map.of()), 201, "client");
        // A generated secret, so that Keycloak knows its age (max-secret-age-days); the same on both servers.
        String uuid = admin.clientUuid(REALM, "load");
        String secret = RealmAdmin.expect(admin.rest().post("/admin/realms/" + REALM + "/clients/" + uuid
                + "/client-secret", admin.token(), null), 200, "regenerate").text("value");
        if (governance != Governance.NONE) {
            RealmAdmin.expect(admin.rest().post("/admin/realms/" + REALM + "/nhi/setup", admin.token(),
                    Map.of("mode", "enforce")), 200, "setup");
            if (governance == Governance.ENFORCE) {
                // setup enables the evidence listener; this server measures enforcement alone
                RealmAdmin.expect(admin.rest().put("/admin/realms/" + REALM, admin.token(),
                        Map.of("eventsListeners", List.of("jboss-logging"))), 204, "evidence off");
            }
            admin.createUser(REALM, "owner", "pw");
            RealmAdmin.expect(admin.rest().post("/admin/realms/" + REALM + "/nhi/identities", admin.token(),
                    Map.of("clientId", "load", "owner", "owner", "purpose", "load test",
                            "expiresAt", Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
                                    .toString())), 201, "register");
            configurePolicy(admin);
        }
        RealmAdmin.expect(admin.rest().clientCredentials(REALM, "load", secret), 200, "first token");
        return new Target(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token", secret);
    }

    /** Every condition the executor has, each one passing, so that all of them are evaluated per request. */
    private static void configurePolicy(RealmAdmin admin) {
        String path = "/admin/realms/" + REALM + "/client-policies/profiles";
        ObjectNode profiles = (ObjectNode) admin.rest().get(path, admin.token()).json();
        for (JsonNode profile : profiles.get("profiles")) {
            if (profile.get("name").asText().equals("nhi")) {
                ObjectNode config = ((ObjectNode) profile.get("executors").get(0)).putObject("configuration");
                config.putArray("allowed-scopes").add("email").add("profile");
                config.put("max-token-ttl", "120");
                config.putArray("source-cidrs").add("10.0.0.0/8").add("127.0.0.0/8").add("::1/128");
                config.putArray("time-windows").add("MON-SUN 00:00-24:00");
                config.putArray("allowed-auth-methods").add("client-secret");
                config.put("max-secret-age-days", "3650");
                config.put("require-review-current", "true");
            }
        }
        RealmAdmin.expect(admin.rest().put(path, admin.token(), profiles), 204, "configure nhi-access-policy");
    }

    private static KeycloakServer.Options copy(KeycloakServer.Options base, Path workDir) {
        return new KeycloakServer.Options(distZip(), Path.of(System.getProperty("nhi.provider.jar")), workDir);
    }

    private static Path distZip() {
        return Path.of(System.getProperty("nhi.dist.zip"));
    }
}
