package dev.nhi.bench;

import dev.nhi.evidence.core.CanonicalJson;
import dev.nhi.evidence.core.Chain;
import dev.nhi.evidence.core.Checkpoints;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * The evidence layer's per-record work in isolation: {@code record} is what a token's record costs,
 * canonical JSON of its fields (on the request thread) plus hashing and chaining (in the shipper);
 * {@code checkpoint} is one Ed25519-signed checkpoint over the chain's head.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvidenceBenchmark {
    private final Chain chain = new Chain("bench", 0, null);
    private KeyPair keys;
    private Map<String, Object> fields;

    @Setup
    public void setUp() {
        keys = Checkpoints.generate();
        // The shape and size of a token.issued record in enforce mode.
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("clientId", "billing-exporter");
        subject.put("clientUuid", UUID.randomUUID().toString());
        subject.put("recordId", UUID.randomUUID().toString());
        subject.put("owner", Map.of("id", UUID.randomUUID().toString(), "username", "alice"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("jti", "onrtcc:" + UUID.randomUUID());
        details.put("exp", 1_795_973_688L);
        details.put("scope", "email profile");
        details.put("authMethod", "client-secret");
        details.put("sourceAddress", "10.20.30.40");
        details.put("grant", null);
        fields = new LinkedHashMap<>();
        fields.put("id", UUID.randomUUID().toString());
        fields.put("time", "2026-11-29T17:00:00.123Z");
        fields.put("type", "token.issued");
        fields.put("subject", subject);
        fields.put("actor", Map.of("clientId", "billing-exporter", "ipAddress", "10.20.30.40"));
        fields.put("decision", Map.of("allowed", true, "mode", "enforce", "policy", "nhi:3f9c2a71d04e8b55"));
        fields.put("details", details);
        fields.put("controls", List.of("OWASP-NHI1", "OWASP-NHI5", "OWASP-NHI7", "CSF-PR.AA-01", "CSF-PR.AA-05"));
    }

    @Benchmark
    public String record() {
        return chain.appendCanonical(CanonicalJson.write(fields));
    }

    @Benchmark
    public Map<String, Object> checkpoint() {
        return Checkpoints.details(chain, keys.getPrivate(), keys.getPublic());
    }
}
