package dev.nhi.bench;

import dev.nhi.access.core.AccessDecider;
import dev.nhi.access.core.AccessPolicy;
import dev.nhi.access.core.AccessRequest;
import dev.nhi.access.core.Decision;
import dev.nhi.access.core.PolicyRules;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The token-path decision in isolation: 100,000 records and 1,000 policy configurations in memory, each
 * invocation picking one of each at random. {@code decide} is the identity check plus one policy's
 * conditions; {@code parse} is what Keycloak's per-request executor set-up would cost without the cache,
 * {@code cachedParse} what it costs with it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBenchmark {
    private static final int RECORDS = 100_000;
    private static final int POLICIES = 1_000;

    private final List<NhiRecord> records = new ArrayList<>();
    private final List<Map<String, Object>> configs = new ArrayList<>();
    private final List<AccessPolicy> policies = new ArrayList<>();
    private final NhiSettings settings = NhiSettings.DEFAULTS;
    private AccessRequest request;

    @Setup
    public void setUp() throws Exception {
        Instant now = Instant.now();
        for (int i = 0; i < RECORDS; i++) {
            records.add(new NhiRecord.Builder().id("r" + i).realmId("realm").clientUuid("c" + i)
                    .clientId("client-" + i).ownerId("owner" + (i % 50)).purpose("p").environment("prod")
                    .createdAt(now.minus(Duration.ofDays(i % 60))).expiresAt(now.plus(Duration.ofDays(1 + i % 300)))
                    .build());
        }
        for (int i = 0; i < POLICIES; i++) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put(AccessPolicy.ALLOWED_SCOPES, List.of("invoices:read", "scope-" + i));
            config.put(AccessPolicy.MAX_TOKEN_TTL, String.valueOf(60 + i));
            config.put(AccessPolicy.SOURCE_CIDRS, List.of("10.0.0.0/8", "192.168." + (i % 256) + ".0/24", "2001:db8::/32"));
            config.put(AccessPolicy.TIME_WINDOWS, List.of("MON-SUN 00:00-24:00"));
            config.put(AccessPolicy.ALLOWED_AUTH_METHODS, List.of("client-secret", "client-jwt"));
            config.put(AccessPolicy.MAX_SECRET_AGE_DAYS, "90");
            config.put(AccessPolicy.REQUIRE_REVIEW_CURRENT, "true");
            configs.add(config);
            policies.add(AccessPolicy.parse(config));
        }
        request = new AccessRequest(InetAddress.getByName("10.1.2.3"), "client-secret", now.minus(Duration.ofDays(3)),
                Set.of("invoices:read"));
    }

    @Benchmark
    public Decision decide() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        NhiRecord record = records.get(random.nextInt(RECORDS));
        Instant now = Instant.now();
        Decision identity = AccessDecider.decide(record, settings, now);
        return identity.allowed()
                ? PolicyRules.check(policies.get(random.nextInt(POLICIES)), request, record, settings, List.of(), now)
                .decision() : identity;
    }

    @Benchmark
    public AccessPolicy parse() {
        return AccessPolicy.parse(configs.get(ThreadLocalRandom.current().nextInt(POLICIES)));
    }

    /** What the executor pays per request: the configuration Keycloak hands over, looked up. */
    @Benchmark
    public AccessPolicy cachedParse() {
        return AccessPolicy.cached(new LinkedHashMap<>(configs.get(ThreadLocalRandom.current().nextInt(POLICIES))));
    }
}
