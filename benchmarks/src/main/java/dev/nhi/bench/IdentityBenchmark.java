package dev.nhi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhi.evidence.core.ChainVerifierFixture;
import dev.nhi.evidence.core.Checkpoints;
import dev.nhi.identity.jpa.RecordCacheFootprint;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.EvidenceReceiver;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import dev.nhi.launcher.TcpProxy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark suite, every figure beside a baseline in the same run: JMH's micro figures (run first by
 * the same command), the record cache's memory, client-credentials throughput, latency and server CPU
 * against vanilla Keycloak (alternating rounds; each mode on H2; realm sizes, client profiles and the
 * jdbc sink on PostgreSQL, with list/filter latency and sweep duration at each size), start times,
 * evidence delivery after a sink outage, and the offline verifier on a 1-GB chain. Writes
 * {@code target/bench/results.md} (targets first) and PNG charts beside it.
 */
public final class IdentityBenchmark {
    private static final int RECORDS = Integer.getInteger("nhi.bench.records", 100_000);
    private static final int SAMPLES = Integer.getInteger("nhi.bench.samples", 12);
    private static final int CONNECTIONS = Integer.getInteger("nhi.bench.connections", 8);
    private static final Duration ROUND = Duration.ofSeconds(Integer.getInteger("nhi.bench.round-seconds", 4));
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("nhi.bench.warm-up-seconds", 35));
    /** The warm-up of each realm other than the one that warms its server's JIT: its own caches. */
    private static final Duration REALM_WARM_UP = Duration.ofSeconds(1);
    private static final Duration EVIDENCE_WARM_UP = Duration.ofSeconds(Integer.getInteger(
            "nhi.bench.evidence-warm-up-seconds", 180));
    /** The realm size the scale figure compares {@link #RECORDS} with. */
    private static final int SMALL_REALM = 1_000;
    private static final int ROUNDS = Integer.getInteger("nhi.bench.rounds", 3);
    /**
     * Every server's heap: Keycloak's default maximum (512 MB outside a container), taken from the start.
     * By default a server starts at 64 MB and grows its heap as it runs, so that its collections per token
     * would depend on how long it had already served.
     */
    private static final String HEAP = System.getProperty("nhi.bench.heap", "-Xms512m -Xmx512m");
    /** The evidence realms' {@code batch-wait-ms}, when set; else the extension's default. */
    private static final String BATCH_WAIT_MS = System.getProperty("nhi.bench.batch-wait-ms");
    /** The client-profile counts of the PostgreSQL part (each beside vanilla with as many). */
    private static final List<Integer> PROFILES = System.getProperty("nhi.bench.profiles", "10,100,1000").isBlank()
            ? List.of() : Arrays.stream(System.getProperty("nhi.bench.profiles", "10,100,1000").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    /** Owners of the seeded records in the realms the list calls run on. */
    private static final int LIST_OWNERS = 50;
    /** The governed servers of the token parts, by {@link Governance} name; vanilla always runs. */
    private static final List<String> MODES = List.of(System.getProperty("nhi.bench.modes",
            "installed,off,audit,enforce,enforce_file,enforce_jdbc").split(","));

    private IdentityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        KeycloakServer.Options base = KeycloakServer.Options.fromSystemProperties();
        Path work = Path.of(System.getProperty("nhi.work.dir"));
        StringBuilder md = new StringBuilder("# NHI governance benchmarks\n\n")
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(Instant.now()).append("\n\n");
        // e.g. -Dnhi.bench.parts=token for a longer throughput run alone
        List<String> parts = List.of(System.getProperty("nhi.bench.parts", "micro,memory,token,token-pg,drain,verify")
                .split(","));
        Headlines headlines = new Headlines();
        StringBuilder sections = new StringBuilder();
        if (parts.contains("micro")) {
            sections.append(micro(headlines));
        }
        if (parts.contains("memory")) {
            sections.append(cacheMemory());
        }
        // The drain runs in the PostgreSQL part's jdbc-sink server when both run, else in a server of its own.
        boolean drainInTokenPart = parts.contains("drain") && parts.contains("token-pg")
                && MODES.contains(Governance.ENFORCE_JDBC.name().toLowerCase());
        if (parts.contains("token")) {
            sections.append(tokenThroughput(base, work, headlines, false, false));
        }
        if (parts.contains("token-pg")) {
            sections.append(tokenThroughput(base, work, headlines, true, drainInTokenPart));
        }
        if (parts.contains("drain") && !drainInTokenPart) {
            sections.append(jdbcDrain(base, work, headlines));
        }
        if (parts.contains("drain")) {
            sections.append(fileAndHttpDrain(base, work, headlines));
        }
        if (parts.contains("verify")) {
            sections.append(verifierThroughput(work, headlines));
        }
        md.append(headlines.targets()).append(sections);
        Files.writeString(work.resolve("results.md"), md);
        System.out.println(md);
    }

    /** The figures the issue sets targets for, gathered from the parts that ran. */
    private static final class Headlines {
        final Map<String, Double> ratios = new LinkedHashMap<>();
        Double decisionMicros;
        /** Records/s once delivery resumed after an outage, by sink. */
        final Map<String, Double> drainPerSecond = new LinkedHashMap<>();
        Double verifierRecordsPerSecond;

        String targets() {
            StringBuilder md = new StringBuilder("## Targets\n\n| figure | target | measured | met |\n|---|---:|---:|:---:|\n");
            for (String db : List.of("H2", "PostgreSQL")) {
                Double check = ratios.get(db + ": " + Governance.INSTALLED.label);
                md.append(String.format("| method check: the jar installed, a realm not set up, throughput ratio to"
                        + " vanilla, %s | 1 | %s | - |%n", db, check == null ? "not run" : String.format("%.3f", check)));
            }
            ratioRow(md, "enforce + jdbc evidence, throughput ratio to vanilla, PostgreSQL", "PostgreSQL",
                    Governance.ENFORCE_JDBC, 0.90);
            for (String db : List.of("H2", "PostgreSQL")) {
                ratioRow(md, "enforce alone, throughput ratio to vanilla, " + db, db, Governance.ENFORCE, 0.95);
            }
            row(md, "decision, median", "<= 5 µs", decisionMicros, 5, false, "%.2f µs");
            row(md, "verifier", ">= 100,000 records/s", verifierRecordsPerSecond, 100_000, true, "%,.0f records/s");
            for (String sink : List.of("jdbc", "file", "http")) {
                row(md, "drain to the " + sink + " sink" + (sink.equals("jdbc") ? " (PostgreSQL)" : ""),
                        ">= 2,000 records/s", drainPerSecond.get(sink), 2_000, true, "%,.0f records/s");
            }
            Double small = ratios.get(String.format("PostgreSQL: %s, %,d records", Governance.ENFORCE.label, SMALL_REALM));
            Double large = ratios.get(String.format("PostgreSQL: %s, %,d records", Governance.ENFORCE.label, RECORDS));
            Double change = small == null || large == null ? null : Math.abs(large / small - 1) * 100;
            row(md, String.format("enforce, throughput ratio at %,d records against %,d (PostgreSQL)", RECORDS,
                    SMALL_REALM), "within 5 %", change, 5, false, "%.1f %% apart");
            return md.append('\n').toString();
        }

        /**
         * A ratio target, judged on the ratio divided by the method check of the same run (the jar installed,
         * a realm not set up, against vanilla): what the two servers differ by when the extension has nothing
         * to do is the two JVMs' own difference, not the extension's.
         */
        private void ratioRow(StringBuilder md, String figure, String db, Governance governance, double bound) {
            Double raw = ratios.get(db + ": " + governance.label);
            Double check = ratios.get(db + ": " + Governance.INSTALLED.label);
            if (raw == null || check == null) {
                row(md, figure, String.format(">= %.2f", bound), raw, bound, true, "%.3f (not calibrated)");
                return;
            }
            double calibrated = raw / check;
            md.append(String.format("| %s | >= %.2f | %.3f (%.3f ÷ check %.3f) | %s |%n", figure, bound, calibrated,
                    raw, check, calibrated >= bound ? "yes" : "**no**"));
        }

        private static void row(StringBuilder md, String figure, String target, Double value, double bound,
                                boolean atLeast, String format) {
            String measured = value == null ? "not run" : String.format(format, value);
            String met = value == null ? "-" : (atLeast ? value >= bound : value <= bound) ? "yes" : "**no**";
            md.append("| ").append(figure).append(" | ").append(target).append(" | ").append(measured).append(" | ")
                    .append(met).append(" |\n");
        }
    }

    private static void seed(Database.FreshPostgres db, String realmId, List<String> owners, int records)
            throws Exception {
        String[] kinds = {"service-account", "workload", "ai-agent", "api-integration"};
        String[] envs = {"prod", "staging", "dev"};
        long now = Instant.now().toEpochMilli();
        long day = Duration.ofDays(1).toMillis();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO NHI_RECORD (ID, REALM_ID, CLIENT_UUID, CLIENT_ID,"
                    + " KIND, OWNER_ID, PURPOSE, ENVIRONMENT, STATUS, CREATED_AT, EXPIRES_AT, REVIEW_BASE_AT,"
                    + " LAST_USED_AT, ACTIVITY_AT, VERSION) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)")) {
                for (int i = 0; i < records; i++) {
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

    /** What runs beside vanilla Keycloak: the extension in each mode, and enforcing with evidence. */
    private enum Governance {
        NONE("vanilla Keycloak 26.7.3", "vanilla", null, null),
        /** The method's own check: the jar present, the realm never set up; its ratio should come out at 1. */
        INSTALLED("with NHI extension, realm not set up", "not set up", null, null),
        OFF("with NHI extension, mode off, evidence off", "off", "off", null),
        AUDIT("with NHI extension, audit, evidence off", "audit", "audit", null),
        ENFORCE("with NHI extension, enforce, evidence off", "enforce", "enforce", null),
        ENFORCE_FILE("with NHI extension, enforce, evidence to the file sink", "enforce + file", "enforce", "file"),
        ENFORCE_JDBC("with NHI extension, enforce, evidence to the jdbc sink (PostgreSQL)", "enforce + jdbc", "enforce",
                "jdbc");

        final String label;
        final String shortLabel;
        /** The mode set up in the realm, or null for a realm that is not set up. */
        final String mode;
        /** The evidence sink, or null for evidence off. */
        final String sink;

        Governance(String label, String shortLabel, String mode, String sink) {
            this.label = label;
            this.shortLabel = shortLabel;
            this.mode = mode;
            this.sink = sink;
        }
    }

    /**
     * One measured realm: what it runs, how many seeded NHI records it holds besides its client "load", and
     * how many client profiles (each with its own client policy) it has.
     */
    private record Contender(Governance governance, int records, int profiles, int twin) {
        Contender(Governance governance, int records, int profiles) {
            this(governance, records, profiles, 0);
        }

        /** Vanilla Keycloak's realm that is measured beside the governed realm number {@code twin} of its pass. */
        static Contender vanillaBeside(int twin) {
            return new Contender(Governance.NONE, 0, 0, twin);
        }

        String realm() {
            return governance.name().toLowerCase().replace('_', '-') + (records > 0 ? "-" + records / 1000 + "k" : "")
                    + (profiles > 0 ? "-profiles-" + profiles : "") + (twin > 0 ? "-" + twin : "");
        }

        String label() {
            return governance.label + (records > 0 ? String.format(", %,d records", records) : "")
                    + (profiles > 0 ? String.format(", %,d client profiles", profiles) : "");
        }

        String shortLabel() {
            return governance.shortLabel + (records > 0 ? ", " + records / 1000 + "k" : "")
                    + (profiles > 0 ? ", " + profiles + " profiles" : "");
        }

        /**
         * The server it runs in: vanilla Keycloak's, or the extension's, which holds every governed realm of
         * the part (on PostgreSQL, all realm sizes in one database). Each governed realm has a vanilla realm
         * beside it, so both servers serve as many realms, in the same pattern.
         */
        String server() {
            return governance == Governance.NONE ? "vanilla" : "extension";
        }
    }

    /**
     * Vanilla Keycloak and Keycloak with the extension, from the same distribution, each in one server; every
     * governed realm beside a vanilla realm of its own, in alternating rounds with the same connections and
     * duration. On H2: modes off, audit and enforce (every executor condition configured and passing), and
     * enforce with the file sink. On PostgreSQL: enforce with 1,000, 10,000 and 100,000 records in the realm
     * (seeded into the tables), enforce with the jdbc sink at 100,000 records, and enforce with 10, 100 and
     * 1,000 client profiles beside vanilla with as many; then the list and filter calls and the lifecycle
     * sweep's duration at each size, and with {@code drain} the evidence drain figure. Also each server's
     * start time.
     */
    private static String tokenThroughput(KeycloakServer.Options base, Path work, Headlines headlines, boolean postgres,
                                          boolean drain) throws Exception {
        String db = postgres ? "PostgreSQL" : "H2";
        // Pairs: each governed realm beside a vanilla realm of its own, measured one after the other in every
        // pass, so that both servers serve the same load in the same pattern and each ratio compares rounds
        // that ran side by side.
        List<Contender> governed = new ArrayList<>();
        if (postgres) {
            governed.add(new Contender(Governance.INSTALLED, 0, 0));
            // distinct: -Dnhi.bench.records=1000 or 10000 would name two realms alike
            for (int records : Stream.of(SMALL_REALM, 10_000, RECORDS).distinct().toList()) {
                governed.add(new Contender(Governance.ENFORCE, records, 0));
            }
            governed.add(new Contender(Governance.ENFORCE_JDBC, RECORDS, 0));
            for (int profiles : PROFILES) {
                governed.add(new Contender(Governance.ENFORCE, 0, profiles));
            }
        } else {
            for (Governance governance : Governance.values()) {
                // the jdbc sink is measured with Keycloak on PostgreSQL
                if (governance != Governance.NONE && governance != Governance.ENFORCE_JDBC) {
                    governed.add(new Contender(governance, 0, 0));
                }
            }
        }
        governed.removeIf(c -> !MODES.contains(c.governance().name().toLowerCase()));
        Map<Contender, Contender> vanillaBeside = new LinkedHashMap<>();
        List<Contender> contenders = new ArrayList<>();
        for (Contender c : governed) {
            // vanilla with the same client profiles, or a plain vanilla realm
            Contender vanilla = c.profiles() > 0 ? new Contender(Governance.NONE, 0, c.profiles())
                    : Contender.vanillaBeside(vanillaBeside.size() + 1);
            vanillaBeside.put(c, vanilla);
            contenders.add(vanilla);
            contenders.add(c);
        }
        Map<Contender, List<LoadGenerator.Result>> results = new LinkedHashMap<>();
        Map<String, Double> startSeconds = new LinkedHashMap<>();
        Map<String, Integer> realmsOfServer = new LinkedHashMap<>();
        StringBuilder after = new StringBuilder();
        List<AutoCloseable> running = new ArrayList<>();
        Turns turns = new Turns();
        try (Database.FreshPostgres sinkDb = (Database.FreshPostgres) Database.freshPostgres("127.0.0.1", 5432);
             // for the drain figure, the jdbc sink is reached through a proxy that it cuts (it passes everything until then)
             TcpProxy sinkProxy = new TcpProxy("127.0.0.1", 5432)) {
            Map<String, KeycloakServer> servers = new LinkedHashMap<>();
            Map<String, Database> databases = new LinkedHashMap<>();
            Map<Contender, Target> targets = new LinkedHashMap<>();
            Map<String, KeycloakServer.Options> toStart = new LinkedHashMap<>();
            for (Contender contender : contenders) {
                String key = contender.server();
                if (!toStart.containsKey(key)) {
                    Database database = postgres ? Database.freshPostgres("127.0.0.1", 5432) : Database.h2InMemory();
                    running.add(database);
                    databases.put(key, database);
                    String sinkUrl = !drain ? sinkDb.jdbcUrl()
                            : sinkDb.jdbcUrl().replace("127.0.0.1:5432/", "127.0.0.1:" + sinkProxy.port() + "/");
                    toStart.put(key, serverOptions(base, work.resolve(db.toLowerCase() + "-" + key),
                            contender.governance(), postgres ? sinkUrl : null).database(database));
                }
            }
            for (Map.Entry<String, KeycloakServer.Options> e : toStart.entrySet()) {
                turns.pauseAll();
                long started = System.nanoTime();
                KeycloakServer server = KeycloakServer.start(e.getValue());
                startSeconds.put(e.getKey(), (System.nanoTime() - started) / 1e9);
                // closed before its database (the list is closed from the end)
                running.add(server);
                servers.put(e.getKey(), server);
                turns.started(server);
            }
            // Each server's realms are set up by a thread of its own, both servers running: the set-up is not measured.
            turns.resumeAll();
            Map<Contender, Target> prepared = new ConcurrentHashMap<>();
            ExecutorService setUp = Executors.newFixedThreadPool(servers.size());
            try {
                List<Future<?>> done = new ArrayList<>();
                for (String key : servers.keySet()) {
                    done.add(setUp.submit(() -> {
                        for (Contender contender : contenders) {
                            if (contender.server().equals(key)) {
                                prepared.put(contender, prepareWithRecords(servers.get(key), contender,
                                        databases.get(key)));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                setUp.shutdown();
            }
            turns.runAlone(servers.values());
            for (Contender contender : contenders) {
                targets.put(contender, prepared.get(contender));
                realmsOfServer.merge(contender.server(), 1, Integer::sum);
            }
            // Every server's JIT is warmed alike, on the plain token path: vanilla's realm, and the extension's
            // enforce realm (the smallest on PostgreSQL). An evidence realm runs code that no other realm runs (the
            // writer, the sink, canonical JSON): it gets a warm-up of its own, and so does the vanilla realm beside
            // it, or its compilations fall into its rounds (JFR: the C2 compiler threads took 60 % of the request
            // threads' CPU over a run with 1 s; with 60 s, the jdbc realm's rounds still carried 160-330 us of
            // compilation per token against at most 70 for the realms beside them, with 180 s none of that
            // difference was left). Each other realm then gets a short warm-up of its own (its
            // caches). Then the realms alternate A/B/C/A/B/C with the same connections and duration.
            Set<String> warmed = new HashSet<>();
            Set<Contender> evidenceWarmed = new HashSet<>();
            vanillaBeside.forEach((realm, vanilla) -> {
                if (realm.governance().sink != null) {
                    evidenceWarmed.addAll(List.of(realm, vanilla));
                }
            });
            for (Map.Entry<Contender, Target> e : targets.entrySet()) {
                Contender c = e.getKey();
                boolean main = c.profiles() == 0 && (c.governance() == Governance.NONE
                        || c.governance() == Governance.ENFORCE) && warmed.add(c.server());
                turns.give(e.getValue().server());
                e.getValue().load(main ? WARM_UP : evidenceWarmed.contains(c) ? EVIDENCE_WARM_UP : REALM_WARM_UP);
            }
            List<Map.Entry<Contender, Contender>> pairs = new ArrayList<>(vanillaBeside.entrySet());
            for (int round = 0; round < ROUNDS; round++) {
                // Each pass starts at another pair, and every other pass measures the governed realm of a pair
                // first, so that no realm keeps the same place in the pass (later places ran faster).
                for (int i = 0; i < pairs.size(); i++) {
                    Map.Entry<Contender, Contender> pair = pairs.get((i + round) % pairs.size());
                    for (Contender c : round % 2 == 0 ? List.of(pair.getValue(), pair.getKey())
                            : List.of(pair.getKey(), pair.getValue())) {
                        Target target = targets.get(c);
                        turns.give(target.server());
                        LoadGenerator.Result result = target.load(ROUND);
                        results.computeIfAbsent(c, k -> new ArrayList<>()).add(result);
                        System.out.printf("%s pass %d: %-30s %6.0f requests/s %5.2f ms CPU/token%n", db, round + 1,
                                c.realm(), result.throughput(), result.serverCpuMillisPerToken());
                    }
                }
            }
            if (drain) {
                Contender jdbc = new Contender(Governance.ENFORCE_JDBC, RECORDS, 0);
                turns.give(targets.get(jdbc).server());
                after.append(jdbcDrainFigures(targets.get(jdbc), SinkOutage.jdbc(sinkProxy), headlines, db));
            }
            if (postgres) {
                List<Contender> sizes = contenders.stream()
                        .filter(c -> c.governance() == Governance.ENFORCE && c.records() > 0).toList();
                turns.resumeAll();
                after.append(listLatency(servers, sizes)).append(sweepDuration(servers, sizes));
            }
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
        }
        StringBuilder md = new StringBuilder("## Client-credentials throughput, Keycloak on " + db + ", " + CONNECTIONS
                + " connections, " + ROUNDS + " alternating rounds of " + ROUND.toSeconds() + " s\n\n"
                + "| realm | requests/s | vanilla beside it, requests/s | p50 ms | p99 ms | errors | throughput ratio"
                + " | its rounds' ratios (min–max) | ÷ method check | p50 ratio | p99 ratio | server CPU ms/token"
                + " | CPU ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, double[]> chart = new LinkedHashMap<>();
        Contender installed = new Contender(Governance.INSTALLED, 0, 0);
        Double check = vanillaBeside.containsKey(installed)
                ? RoundRatios.of(results.get(installed), results.get(vanillaBeside.get(installed))).throughput() : null;
        for (Map.Entry<Contender, Contender> pair : vanillaBeside.entrySet()) {
            Contender c = pair.getKey();
            Totals totals = Totals.of(results.get(c));
            Totals vanilla = Totals.of(results.get(pair.getValue()));
            RoundRatios ratios = RoundRatios.of(results.get(c), results.get(pair.getValue()));
            double ratio = ratios.throughput();
            md.append(String.format("| %s | %.0f | %.0f | %.1f | %.1f | %d | %.3f | %.3f–%.3f | %s | %.2f | %.2f | %.2f | %.2f |%n",
                    c.label(), totals.throughput, vanilla.throughput, totals.p50, totals.p99, totals.errors, ratio,
                    ratios.lowest(), ratios.highest(), check == null ? "-" : String.format("%.3f", ratio / check),
                    totals.p50 / vanilla.p50, totals.p99 / vanilla.p99, totals.cpuMillisPerToken, ratios.cpu()));
            headlines.ratios.putIfAbsent(db + ": " + c.governance().label, ratio);
            headlines.ratios.put(db + ": " + c.label(), ratio);
            chart.put(c.shortLabel(), new double[] {ratio, vanilla.p50 / totals.p50, vanilla.p99 / totals.p99});
        }
        List<Double> plain = vanillaBeside.entrySet().stream().filter(e -> e.getKey().profiles() == 0)
                .map(e -> Totals.of(results.get(e.getValue())).throughput).toList();
        md.append(plain.isEmpty() ? "" : String.format("%nEach governed realm is measured beside a vanilla realm of its own (vanilla with the same"
                + " client profiles where it has some), one after the other in every pass; its ratios are the median"
                + " of its rounds' ratios to that realm's. Vanilla's plain realms served %.0f–%.0f requests/s across"
                + " the pairs: the machine's own spread. Server CPU: the CPU time the server's processes used during"
                + " the rounds, per token (the load generator's own CPU is not in it).%n",
                Collections.min(plain), Collections.max(plain)));
        String png = "token-ratios-" + db.toLowerCase() + ".png";
        Charts.tokenRatios("Keycloak on " + db, chart, work.resolve(png));
        md.append("\n![Throughput and latency against vanilla Keycloak, " + db + "](" + png + ")\n\n");
        md.append("### Start time (unpacked distribution to ready, `start-dev`, " + db
                + ")\n\n| server | realms in it | seconds |\n|---|---:|---:|\n");
        startSeconds.forEach((key, seconds) -> md.append(String.format("| %s | %d | %.1f |%n",
                key.equals("vanilla") ? "vanilla Keycloak 26.7.3" : "with NHI extension", realmsOfServer.get(key),
                seconds)));
        return md.append('\n').append(after).toString();
    }

    /**
     * One realm's rounds against another's: each round against the other's round of the same pass, and the
     * median of those, which is robust to the machine's speed drifting between passes and to a burst in one round.
     */
    private record RoundRatios(double throughput, double lowest, double highest, double cpu) {
        static RoundRatios of(List<LoadGenerator.Result> mine, List<LoadGenerator.Result> theirs) {
            List<Double> throughput = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int round = 0; round < mine.size(); round++) {
                throughput.add(mine.get(round).throughput() / theirs.get(round).throughput());
                cpu.add(mine.get(round).serverCpuMillisPerToken() / theirs.get(round).serverCpuMillisPerToken());
            }
            return new RoundRatios(median(throughput), Collections.min(throughput), Collections.max(throughput),
                    median(cpu));
        }

        private static double median(List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(null);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }

    /** A token part's server: vanilla or the extension, the fixed heap, the jdbc sink when {@code sinkUrl} is set. */
    private static KeycloakServer.Options serverOptions(KeycloakServer.Options base, Path dir, Governance governance,
                                                        String sinkUrl) throws IOException {
        // A fresh distribution for every run: one reused from an earlier run starts without Quarkus' build
        // step, which would make its start time incomparable.
        deleteTree(dir);
        KeycloakServer.Options options = governance == Governance.NONE
                ? new KeycloakServer.Options(distZip(), null, dir).javaOptions(HEAP) : copy(base, dir);
        if (governance != Governance.NONE && BATCH_WAIT_MS != null) {
            options.option("spi-events-listener--nhi-evidence--batch-wait-ms", BATCH_WAIT_MS);
        }
        if (governance != Governance.NONE && sinkUrl != null) {
            options.option("spi-events-listener--nhi-evidence--sinks", "jdbc")
                    .option("spi-events-listener--nhi-evidence--jdbc-url", sinkUrl)
                    .option("spi-events-listener--nhi-evidence--jdbc-user", "postgres");
        }
        if (governance != Governance.NONE) {
            options.option("log-level", "INFO," + SWEEPER_CATEGORY + ":debug");
        }
        return options;
    }

    /** The list and filter calls, and the console dashboard's two, at each realm size: p50/p95 over {@link #SAMPLES}. */
    private static String listLatency(Map<String, KeycloakServer> servers, List<Contender> sizes) {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("first page, no filter", "/identities");
        queries.put("status=active", "/identities?status=active");
        queries.put("flag=EXPIRING", "/identities?flag=EXPIRING");
        queries.put("flag=STALE", "/identities?flag=STALE");
        queries.put("owner=owner7", "/identities?owner=owner7");
        queries.put("kind=ai-agent&environment=prod", "/identities?kind=ai-agent&environment=prod");
        queries.put("search=billing-0042", "/identities?search=billing-0042");
        queries.put("deep page (90 % in)", "/identities?max=100&first=");
        // The console's dashboard makes these two calls, in parallel.
        queries.put("report (dashboard)", "/identities/report");
        queries.put("evidence/daily?days=30 (dashboard)", "/evidence/daily?days=30");
        StringBuilder md = new StringBuilder("## List and filter latency on PostgreSQL, page of 100, p50 / p95 ms"
                + " (matched)\n\n| query |");
        sizes.forEach(c -> md.append(String.format(" %,d records |", c.records())));
        md.append("\n|---|").append("---:|".repeat(sizes.size())).append('\n');
        Map<Contender, RealmAdmin> admins = new LinkedHashMap<>();
        Map<Contender, String> tokens = new LinkedHashMap<>();
        for (Contender c : sizes) {
            RealmAdmin admin = new RealmAdmin(new RestClient(servers.get(c.server()).baseUrl()));
            admins.put(c, admin);
            tokens.put(c, admin.token());
        }
        for (Map.Entry<String, String> q : queries.entrySet()) {
            md.append("| ").append(q.getKey()).append(" |");
            for (Contender c : sizes) {
                RealmAdmin admin = admins.get(c);
                String path = "/admin/realms/" + c.realm() + "/nhi" + q.getValue()
                        + (q.getValue().endsWith("first=") ? c.records() * 9 / 10 : "");
                RestClient.Reply warm = RealmAdmin.expect(admin.rest().get(path, tokens.get(c)), 200, q.getKey());
                List<Long> nanos = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    if (i % 20 == 0) {
                        tokens.put(c, admin.token());
                    }
                    long start = System.nanoTime();
                    RealmAdmin.expect(admin.rest().get(path, tokens.get(c)), 200, q.getKey());
                    nanos.add(System.nanoTime() - start);
                }
                md.append(String.format(" %.1f / %.1f (%s) |", LoadGenerator.percentileMillis(nanos, 50),
                        LoadGenerator.percentileMillis(nanos, 95), warm.field("total") != null ? warm.text("total") : "-"));
            }
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    private static final String SWEEPER_CATEGORY = "dev.nhi.identity.lifecycle.NhiLifecycleSweeper";
    private static final Pattern SWEEP_LINE = Pattern.compile("realm=(\\S+) sweep moved .* in (\\d+) ms");

    /** The lifecycle sweeps that ran in each size's server meanwhile (one a minute), from the sweeper's log lines. */
    private static String sweepDuration(Map<String, KeycloakServer> servers, List<Contender> sizes) throws IOException {
        StringBuilder md = new StringBuilder("## Lifecycle sweep duration on PostgreSQL (each realm's own sweep, from"
                + " the sweeper's log)\n\n| realm | sweeps | median ms | max ms |\n|---|---:|---:|---:|\n");
        for (Contender c : sizes) {
            List<Long> millis = new ArrayList<>();
            for (String line : Files.readAllLines(servers.get(c.server()).log())) {
                Matcher m = SWEEP_LINE.matcher(line);
                if (m.find() && m.group(1).equals(c.realm())) {
                    millis.add(Long.parseLong(m.group(2)));
                }
            }
            millis.sort(null);
            md.append(millis.isEmpty() ? String.format("| %,d records | 0 | - | - |%n", c.records())
                    : String.format("| %,d records | %d | %d | %d |%n", c.records(), millis.size(),
                    millis.get(millis.size() / 2), millis.get(millis.size() - 1)));
        }
        return md.append('\n').toString();
    }

    /**
     * One server runs at a time while the others wait paused (SIGSTOP), so that a waiting server's background
     * work (its timers, evidence drain, sweeps, JIT) never lands in the figures of the one being measured.
     */
    private static final class Turns {
        /** After a resume, a server first runs what fell due while it was paused (a sweep, a drain). */
        private static final Duration SETTLE = Duration.ofMillis(300);
        private final List<KeycloakServer> paused = new ArrayList<>();
        private KeycloakServer running;

        void started(KeycloakServer server) {
            running = server;
        }

        void pauseAll() throws IOException, InterruptedException {
            if (running != null) {
                running.pause();
                paused.add(running);
                running = null;
            }
        }

        void give(KeycloakServer server) throws IOException, InterruptedException {
            if (server == running) {
                return;
            }
            pauseAll();
            server.resume();
            paused.remove(server);
            running = server;
            Thread.sleep(SETTLE.toMillis());
        }

        /** After {@link #resumeAll}: every server but the one that ran last waits paused again. */
        void runAlone(Collection<KeycloakServer> all) throws IOException, InterruptedException {
            for (KeycloakServer server : all) {
                if (server != running) {
                    server.pause();
                    paused.add(server);
                }
            }
        }

        /** For the figures that take several servers at once. */
        void resumeAll() throws IOException, InterruptedException {
            for (KeycloakServer server : paused) {
                server.resume();
            }
            paused.clear();
        }
    }

    /** One server's rounds summed: throughput, latency percentiles, errors, server CPU per token. */
    private record Totals(double throughput, double p50, double p99, long errors, double cpuMillisPerToken) {
        static Totals of(List<LoadGenerator.Result> rounds) {
            long requests = 0;
            long errors = 0;
            double seconds = 0;
            double cpuSeconds = 0;
            List<Long> latencies = new ArrayList<>();
            for (LoadGenerator.Result r : rounds) {
                requests += r.requests();
                errors += r.errors();
                seconds += r.seconds();
                cpuSeconds += r.serverCpuSeconds();
                latencies.addAll(r.latenciesNanos());
            }
            return new Totals(requests / seconds, LoadGenerator.percentileMillis(latencies, 50),
                    LoadGenerator.percentileMillis(latencies, 99), errors, cpuSeconds * 1000 / Math.max(1, requests + errors));
        }
    }

    /** A realm's token endpoint, the credentials of its client "load", and the server, whose CPU each run measures. */
    private record Target(KeycloakServer server, String realm, String tokenUrl, String secret) {
        LoadGenerator.Result load(Duration duration) throws Exception {
            return load(duration, 0);
        }

        LoadGenerator.Result load(Duration duration, double perSecond) throws Exception {
            Duration cpuBefore = server.cpuTime();
            LoadGenerator.Result result = LoadGenerator.run(tokenUrl, "load", secret, CONNECTIONS, duration, perSecond);
            return result.withServerCpu(server.cpuTime().minus(cpuBefore).toNanos() / 1e9);
        }
    }

    /**
     * The jdbc drain figure in a server of its own, when the token part does not host it: the sink (the
     * machine's PostgreSQL, behind a proxy the benchmark cuts) after an outage.
     */
    private static String jdbcDrain(KeycloakServer.Options base, Path work, Headlines headlines) throws Exception {
        try (Database.FreshPostgres sinkDb = (Database.FreshPostgres) Database.freshPostgres("127.0.0.1", 5432);
             TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             KeycloakServer server = KeycloakServer.start(copy(base, work.resolve("drain"))
                     .database(Database.h2InMemory())
                     .option("spi-events-listener--nhi-evidence--sinks", "jdbc")
                     .option("spi-events-listener--nhi-evidence--jdbc-url", sinkDb.jdbcUrl()
                             .replace("127.0.0.1:5432/", "127.0.0.1:" + proxy.port() + "/"))
                     .option("spi-events-listener--nhi-evidence--jdbc-user", "postgres"))) {
            Target target = prepare(server, new Contender(Governance.ENFORCE_JDBC, 0, 0));
            target.load(Duration.ofSeconds(10));
            return jdbcDrainFigures(target, SinkOutage.jdbc(proxy), headlines, "H2");
        }
    }

    private static final String DRAIN_TABLE = "| case | sink | token p50 / p99 ms, sink up | token p50 / p99 ms, sink cut"
            + " | records waiting at restore | until all delivered, s | delivered/s once resumed |\n"
            + "|---|---|---:|---:|---:|---:|---:|\n";

    /** The outage figures on a realm with jdbc evidence whose sink the benchmark can cut. */
    private static String jdbcDrainFigures(Target target, SinkOutage jdbc, Headlines headlines, String db)
            throws Exception {
        StringBuilder md = new StringBuilder("## Evidence delivery to the jdbc sink after an outage, Keycloak on " + db
                + "\n\n" + DRAIN_TABLE);
        RealmAdmin admin = new RealmAdmin(new RestClient(target.server().baseUrl()));
        Drain atRate = outage(target, admin, List.of(jdbc), OUTAGE, OUTAGE_LOAD, OUTAGE_LOAD).get(0);
        md.append(atRate.row(String.format("%.0f s outage at %.0f tokens/s, load goes on", OUTAGE.toSeconds() * 1.0,
                OUTAGE_LOAD)));
        headlines.drainPerSecond.put("jdbc", atRate.perSecond());
        if (Boolean.getBoolean("nhi.bench.drain-full-load")) {
            md.append(outage(target, admin, List.of(jdbc), OUTAGE, 0, -1).get(0)
                    .row(String.format("%.0f s outage at full load, no load after", OUTAGE.toSeconds() * 1.0)));
        }
        return md.append('\n').toString();
    }

    /**
     * The file and http sinks' drain rates, in a server of their own with both sinks (Keycloak on H2): both
     * cut at once under full load for {@link #SINK_OUTAGE}, then the file sink restored and timed until it
     * holds every record, then the http sink. The file sink's directory is a symbolic link, swapped for one
     * to a plain file while it is cut (as a volume gone: every append fails); the http receiver answers 503.
     */
    private static String fileAndHttpDrain(KeycloakServer.Options base, Path work, Headlines headlines)
            throws Exception {
        Path dir = work.resolve("drain-sinks");
        deleteTree(dir);
        Path store = Files.createDirectories(dir.resolve("evidence-store"));
        Path link = Files.createSymbolicLink(dir.resolve("evidence"), store);
        String secret = "a-benchmark-hmac-secret-" + UUID.randomUUID();
        // in the H2 part's extension distribution, when there is one: unpacked and built already
        try (EvidenceReceiver receiver = new EvidenceReceiver(secret);
             KeycloakServer server = KeycloakServer.start(copy(base, work.resolve("h2-extension"))
                     .database(Database.h2InMemory())
                     .option("spi-events-listener--nhi-evidence--sinks", "file,http")
                     .option("spi-events-listener--nhi-evidence--file-dir", link.toString())
                     .option("spi-events-listener--nhi-evidence--http-url", receiver.url())
                     .option("spi-events-listener--nhi-evidence--http-hmac-secret", secret))) {
            Target target = prepare(server, new Contender(Governance.ENFORCE_FILE, 0, 0));
            // the JIT, so that the outage builds a backlog of several seconds' delivery
            target.load(Duration.ofSeconds(10));
            RealmAdmin admin = new RealmAdmin(new RestClient(server.baseUrl()));
            List<Drain> drains = outage(target, admin, List.of(SinkOutage.file(link, store,
                    Files.createFile(dir.resolve("blocked"))), SinkOutage.http(receiver)), SINK_OUTAGE, 0, -1);
            StringBuilder md = new StringBuilder("## Evidence delivery to the file and http sinks after an outage,"
                    + " Keycloak on H2\n\n" + DRAIN_TABLE);
            for (Drain drain : drains) {
                md.append(drain.row(String.format("%.0f s outage of both at full load, restored one after the"
                        + " other, no load after", SINK_OUTAGE.toSeconds() * 1.0)));
                headlines.drainPerSecond.put(drain.sink(), drain.perSecond());
            }
            if (receiver.badSignatures() > 0) {
                throw new IllegalStateException(receiver.badSignatures() + " batches at the http receiver had a bad"
                        + " signature");
            }
            return md.append('\n').toString();
        }
    }

    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("nhi.bench.outage-seconds", 60));
    private static final Duration SINK_OUTAGE = Duration.ofSeconds(Integer.getInteger(
            "nhi.bench.sink-outage-seconds", 15));
    private static final double OUTAGE_LOAD = 300;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(300);
    private static final Duration SINK_UP = Duration.ofSeconds(10);

    /** An action on the file system or the network that may fail. */
    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** A sink the benchmark makes unreachable, and reachable again. */
    private record SinkOutage(String sink, IoAction cut, IoAction restore) {
        static SinkOutage jdbc(TcpProxy proxy) {
            return new SinkOutage("jdbc", proxy::cut, proxy::restore);
        }

        static SinkOutage http(EvidenceReceiver receiver) {
            return new SinkOutage("http", () -> receiver.failing(true), () -> receiver.failing(false));
        }

        /** {@code link} points at {@code store}; cut, it points at {@code blocked}, a plain file. Each swap is one rename. */
        static SinkOutage file(Path link, Path store, Path blocked) {
            return new SinkOutage("file", () -> repoint(link, blocked), () -> repoint(link, store));
        }

        private static void repoint(Path link, Path target) throws IOException {
            Path next = link.resolveSibling(link.getFileName() + ".next");
            Files.deleteIfExists(next);
            Files.createSymbolicLink(next, target);
            Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** One sink's figures after an outage: token latency before and during it, then the delivery of the backlog. */
    private record Drain(String sink, LoadGenerator.Result up, LoadGenerator.Result cut, long waiting, double seconds,
                         double backoffSeconds, double perSecond) {
        String row(String label) {
            return String.format("| %s | %s | %.1f / %.1f | %.1f / %.1f | %d | %.1f (%.1f of them backoff) | %.0f |%n",
                    label, sink, LoadGenerator.percentileMillis(up.latenciesNanos(), 50),
                    LoadGenerator.percentileMillis(up.latenciesNanos(), 99),
                    LoadGenerator.percentileMillis(cut.latenciesNanos(), 50),
                    LoadGenerator.percentileMillis(cut.latenciesNanos(), 99), waiting, seconds, backoffSeconds,
                    perSecond);
        }
    }

    /**
     * Measures {@link #SINK_UP} of load ({@code duringPerSecond}, 0 for full load) with the sinks up, cuts them
     * all for {@code outage} under the same load, then restores them one after the other (with load at
     * {@code afterPerSecond} going on, or none when negative), timing each one's delivery of every record
     * written before the restores.
     */
    private static List<Drain> outage(Target target, RealmAdmin admin, List<SinkOutage> sinks, Duration outage,
                                      double duringPerSecond, double afterPerSecond) throws Exception {
        LoadGenerator.Result up = target.load(SINK_UP, duringPerSecond);
        Map<String, Long> shippedBefore = new LinkedHashMap<>();
        for (SinkOutage sink : sinks) {
            shippedBefore.put(sink.sink(), shipped(evidenceStatus(admin, target.realm()), sink.sink()));
            sink.cut().run();
        }
        LoadGenerator.Result cut = target.load(outage, duringPerSecond);
        JsonNode atRestore = evidenceStatus(admin, target.realm());
        long written = atRestore.get("chainSeq").asLong() + atRestore.get("unchained").asLong();
        List<Drain> drains = new ArrayList<>();
        for (SinkOutage sink : sinks) {
            sink.restore().run();
            drains.add(delivery(target, admin, sink.sink(), up, cut, shippedBefore.get(sink.sink()), written,
                    afterPerSecond));
        }
        return drains;
    }

    /**
     * Times one restored sink's delivery until it holds {@code written}. Its rate counts from the last poll
     * at which it had not moved yet (its retry backoff, up to 30 s after a long outage, ends after it), so
     * it errs low by at most one poll's interval.
     */
    private static Drain delivery(Target target, RealmAdmin admin, String sink, LoadGenerator.Result up,
                                  LoadGenerator.Result cut, long shippedBefore, long written, double afterPerSecond)
            throws Exception {
        long restored = System.nanoTime();
        long idleSince = restored;
        long shipped = shippedBefore;
        while (System.nanoTime() - restored < RECOVERY_LIMIT.toNanos()) {
            long polled = System.nanoTime();
            shipped = shipped(evidenceStatus(admin, target.realm()), sink);
            if (shipped >= written) {
                break;
            }
            if (shipped == shippedBefore) {
                idleSince = polled;
            }
            if (afterPerSecond < 0) {
                Thread.sleep(100);
            } else {
                target.load(Duration.ofMillis(200), afterPerSecond);
            }
        }
        long delivered = System.nanoTime();
        if (shipped < written) {
            throw new IllegalStateException("the " + sink + " sink got to seq " + shipped + " of " + written + " in "
                    + RECOVERY_LIMIT.toSeconds() + " s");
        }
        return new Drain(sink, up, cut, written - shippedBefore, (delivered - restored) / 1e9,
                (idleSince - restored) / 1e9, (shipped - shippedBefore) / ((delivered - idleSince) / 1e9));
    }

    /**
     * The heap the record cache holds (the token path's only per-record memory), filled in this JVM with
     * records shaped like the seeded ones. The grant cache holds a realm's approved, unexpired grants only.
     */
    private static String cacheMemory() {
        StringBuilder md = new StringBuilder("## Memory held by the record cache\n\n"
                + "| cached records | MB | bytes per record |\n|---:|---:|---:|\n");
        RecordCacheFootprint.bytes(10_000);
        long perRecord = 0;
        for (int records : List.of(1_000, 10_000, 100_000)) {
            long bytes = RecordCacheFootprint.bytes(records);
            perRecord = bytes / records;
            md.append(String.format("| %,d | %.1f | %d |%n", records, bytes / 1048576.0, perRecord));
        }
        return md.append(String.format("%nThe cache holds one entry per client that asked for a token within"
                + " `cache-ttl`, and at most `cache-max-entries` (default 200,000: about %.0f MB at %d bytes each)."
                + " Measured in the benchmark's JVM (heap in use after GC, before and after filling).%n%n",
                200_000.0 * perRecord / 1048576, perRecord)).toString();
    }

    /** JMH's figures (run just before, by the same command): the decision and the evidence layer's per-record work. */
    private static String micro(Headlines headlines) throws Exception {
        Path results = Path.of(System.getProperty("nhi.bench.jmh", "target/jmh.json"));
        if (!Files.exists(results)) {
            return "## Micro-benchmarks (JMH)\n\nNo JMH results at " + results + ": run with -Pbench (JMH runs first).\n\n";
        }
        StringBuilder md = new StringBuilder("## Micro-benchmarks (JMH, sample time, 1 fork)\n\n"
                + "| benchmark | p50 µs | p99 µs | mean µs |\n|---|---:|---:|---:|\n");
        for (JsonNode run : new ObjectMapper().readTree(results.toFile())) {
            String name = run.get("benchmark").asText().replace("dev.nhi.bench.", "");
            JsonNode metric = run.get("primaryMetric");
            double p50 = metric.get("scorePercentiles").get("50.0").asDouble();
            md.append(String.format("| %s | %.2f | %.2f | %.2f |%n", name, p50,
                    metric.get("scorePercentiles").get("99.0").asDouble(), metric.get("score").asDouble()));
            if (name.equals("DecisionBenchmark.decide")) {
                headlines.decisionMicros = p50;
            }
        }
        return md.append("\n`DecisionBenchmark.decide`: identity check and one policy's conditions, 100,000 records"
                + " and 1,000 policies in memory. `EvidenceBenchmark.record`: canonical JSON of a token.issued record,"
                + " SHA-256 and chaining. `EvidenceBenchmark.checkpoint`: one Ed25519-signed checkpoint.\n\n").toString();
    }

    /**
     * The offline verifier on a chain of about {@code nhi.bench.verify-megabytes} (default 1024) written by the
     * evidence core, in its own JVM with a 64 MB heap (it streams): records/s and MB/s.
     */
    private static String verifierThroughput(Path work, Headlines headlines) throws Exception {
        long bytesWanted = Long.getLong("nhi.bench.verify-megabytes", 1024) << 20;
        Path dir = work.resolve("verify");
        Path realmDir = dir.resolve("big");
        Files.createDirectories(realmDir);
        Path segment = realmDir.resolve(String.format("%020d.jsonl", 1));
        KeyPair keys = Checkpoints.generate();
        // Records of the fixture's size: the first thousand tell how many make the size wanted.
        int probe = 1_000;
        long probeBytes = ChainVerifierFixture.chain("big", probe, 1000, keys).stream().mapToLong(l -> l.length() + 1).sum();
        int records = (int) Math.min(Integer.MAX_VALUE - 1, bytesWanted * probe / probeBytes);
        long[] lines = new long[1];
        try (BufferedWriter out = Files.newBufferedWriter(segment, StandardCharsets.UTF_8)) {
            ChainVerifierFixture.chain("big", records, 1000, keys, line -> {
                try {
                    out.write(line);
                    out.write('\n');
                    lines[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.writeString(dir.resolve("nhi-evidence-public-key.pem"), Checkpoints.publicPem(keys.getPublic()));
        long size = Files.size(segment);
        Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-jar", System.getProperty("nhi.evidence.jar"), "verify", "--dir", dir.toString())
                .redirectErrorStream(true).start();
        long started = System.nanoTime();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = verify.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.delete(segment);
        if (exit != 0) {
            throw new IllegalStateException("verify exited " + exit + ": " + output);
        }
        headlines.verifierRecordsPerSecond = lines[0] / seconds;
        return String.format("## Offline verifier (`nhi-evidence verify --dir`, -Xmx64m)%n%n"
                + "| chain | records | seconds | records/s | MB/s |%n|---|---:|---:|---:|---:|%n"
                + "| %,d MB, one segment, a checkpoint every 1,000 records | %,d | %.1f | %,.0f | %.0f |%n%n",
                size >> 20, lines[0], seconds, lines[0] / seconds, size / 1048576.0 / seconds);
    }

    /** A sink's last {@code seq} (0 when it holds nothing or cannot be read). */
    private static long shipped(JsonNode status, String sink) {
        return status.get("sinks").get(sink).path("lastSeq").asLong(0);
    }

    private static JsonNode evidenceStatus(RealmAdmin admin, String realm) {
        return RealmAdmin.expect(admin.rest().get("/admin/realms/" + realm + "/nhi/evidence/status", admin.token()),
                200, "evidence status").json();
    }

    /**
     * The contender's realm, with one confidential service-account client "load"; registered and enforced
     * when governed, with the contender's extra client profiles.
     */
    private static Target prepare(KeycloakServer server, Contender contender) {
        String realm = contender.realm();
        Governance governance = contender.governance();
        RealmAdmin admin = new RealmAdmin(new RestClient(server.baseUrl()));
        admin.createRealm(realm);
        RealmAdmin.expect(admin.createServiceClient(realm, "load", "initial-secret", Map.of()), 201, "client");
        // A generated secret, so that Keycloak knows its age (max-secret-age-days); the same on both servers.
        String uuid = admin.clientUuid(realm, "load");
        String secret = RealmAdmin.expect(admin.rest().post("/admin/realms/" + realm + "/clients/" + uuid
                + "/client-secret", admin.token(), null), 200, "regenerate").text("value");
        if (governance.mode != null) {
            RealmAdmin.expect(admin.rest().post("/admin/realms/" + realm + "/nhi/setup", admin.token(),
                    Map.of("mode", governance.mode)), 200, "setup");
            if (governance.sink == null) {
                // setup enables the evidence listener; this realm measures the mode alone
                RealmAdmin.expect(admin.rest().put("/admin/realms/" + realm, admin.token(),
                        Map.of("eventsListeners", List.of("jboss-logging"))), 204, "evidence off");
            }
            admin.createUser(realm, "owner", "pw");
            RealmAdmin.expect(admin.rest().post("/admin/realms/" + realm + "/nhi/identities", admin.token(),
                    Map.of("clientId", "load", "owner", "owner", "purpose", "load test",
                            "expiresAt", Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
                                    .toString())), 201, "register");
            configurePolicy(admin, realm);
            if (contender.profiles() > 1) {
                addProfiles(admin, realm, contender.profiles() - 1, "nhi-access-policy");
            }
        } else if (governance == Governance.NONE && contender.profiles() > 0) {
            addVanillaPolicy(admin, realm);
            if (contender.profiles() > 1) {
                addProfiles(admin, realm, contender.profiles() - 1, "confidential-client");
            }
        }
        RealmAdmin.expect(admin.rest().clientCredentials(realm, "load", secret), 200, "first token");
        return new Target(server, realm, server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token", secret);
    }

    /** {@link #prepare}, then the contender's records seeded into its realm's tables, with their owners. */
    private static Target prepareWithRecords(KeycloakServer server, Contender contender, Database database)
            throws Exception {
        Target target = prepare(server, contender);
        if (contender.records() > 0) {
            RealmAdmin admin = new RealmAdmin(new RestClient(server.baseUrl()));
            String realmId = admin.rest().get("/admin/realms/" + contender.realm(), admin.token()).json()
                    .get("id").asText();
            List<String> owners = new ArrayList<>();
            for (int i = 0; i < (contender.governance() == Governance.ENFORCE ? LIST_OWNERS : 1); i++) {
                owners.add(admin.createUser(contender.realm(), "owner" + i, "pw"));
            }
            seed((Database.FreshPostgres) database, realmId, owners, contender.records());
        }
        return target;
    }

    /** Every condition the executor has, each one passing, so that all of them are evaluated per request. */
    private static void configurePolicy(RealmAdmin admin, String realm) {
        ObjectNode profiles = clientPolicies(admin, realm, "profiles");
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
        putClientPolicies(admin, realm, "profiles", profiles);
    }

    /**
     * {@code count} more client profiles, each with one {@code executor} and its own client policy, which
     * selects the clients holding a client role of that profile's name: a realm with a policy per class of
     * NHI. The client "load" holds none of those roles, so Keycloak checks every policy's condition per
     * request and only the realm's first profile acts on it.
     */
    private static void addProfiles(RealmAdmin admin, String realm, int count, String executor) {
        ObjectNode profiles = clientPolicies(admin, realm, "profiles");
        ObjectNode policies = clientPolicies(admin, realm, "policies");
        for (int i = 0; i < count; i++) {
            String name = String.format("nhi-class-%04d", i);
            ObjectNode config = addProfile(profiles, name, executor);
            if (executor.equals("nhi-access-policy")) {
                config.put("max-token-ttl", String.valueOf(60 + i % 240));
            }
            addPolicy(policies, name, "client-roles").putArray("roles").add(name);
        }
        putClientPolicies(admin, realm, "profiles", profiles);
        putClientPolicies(admin, realm, "policies", policies);
    }

    /**
     * Vanilla's counterpart of the "nhi" profile and policy: a built-in executor that every confidential
     * client passes, applied to every client, so that Keycloak runs one matching profile per request too.
     */
    private static void addVanillaPolicy(RealmAdmin admin, String realm) {
        ObjectNode profiles = clientPolicies(admin, realm, "profiles");
        addProfile(profiles, "baseline", "confidential-client");
        putClientPolicies(admin, realm, "profiles", profiles);
        ObjectNode policies = clientPolicies(admin, realm, "policies");
        addPolicy(policies, "baseline", "any-client");
        putClientPolicies(admin, realm, "policies", policies);
    }

    /** Adds a profile with one executor; answers the executor's configuration. */
    private static ObjectNode addProfile(ObjectNode profiles, String name, String executor) {
        ObjectNode profile = ((ArrayNode) profiles.withArray("profiles")).addObject();
        profile.put("name", name);
        ObjectNode added = profile.putArray("executors").addObject();
        added.put("executor", executor);
        return added.putObject("configuration");
    }

    /** Adds an enabled policy applying the profile of the same name under one condition; answers its configuration. */
    private static ObjectNode addPolicy(ObjectNode policies, String name, String condition) {
        ObjectNode policy = ((ArrayNode) policies.withArray("policies")).addObject();
        policy.put("name", name);
        policy.put("enabled", true);
        ObjectNode added = policy.putArray("conditions").addObject();
        added.put("condition", condition);
        policy.putArray("profiles").add(name);
        return added.putObject("configuration");
    }

    private static ObjectNode clientPolicies(RealmAdmin admin, String realm, String kind) {
        return (ObjectNode) admin.rest().get("/admin/realms/" + realm + "/client-policies/" + kind, admin.token()).json();
    }

    private static void putClientPolicies(RealmAdmin admin, String realm, String kind, ObjectNode value) {
        RealmAdmin.expect(admin.rest().put("/admin/realms/" + realm + "/client-policies/" + kind, admin.token(), value),
                204, "client " + kind);
    }

    private static KeycloakServer.Options copy(KeycloakServer.Options base, Path workDir) {
        return new KeycloakServer.Options(distZip(), Path.of(System.getProperty("nhi.provider.jar")), workDir)
                .javaOptions(HEAP);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Path distZip() {
        return Path.of(System.getProperty("nhi.dist.zip"));
    }
}
