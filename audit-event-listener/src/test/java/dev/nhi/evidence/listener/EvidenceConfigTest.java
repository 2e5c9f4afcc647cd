package dev.nhi.evidence.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

class EvidenceConfigTest {
    @Test
    void withoutOptionsEachSettingHasItsDocumentedDefault() {
        EvidenceConfig config = EvidenceConfig.from(scope(Map.of()));

        assertThat(config.sinks()).containsExactly("file");
        assertThat(config.drainInterval()).isEqualTo(Duration.ofSeconds(1));
        // a batch holds what arrived during the previous commit: a wait costs a closed loop of requests its latency
        assertThat(config.batchWait()).isEqualTo(Duration.ZERO);
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.checkpointRecords()).isEqualTo(1000);
        assertThat(config.segmentBytes()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void eachRefusedValueNamesItsOption() {
        assertThatThrownBy(() -> EvidenceConfig.from(scope(Map.of("sinks", "file,s3"))))
                .hasMessageContaining("--spi-events-listener--nhi-evidence--sinks").hasMessageContaining("'s3'");
        assertThatThrownBy(() -> EvidenceConfig.from(scope(Map.of("batch-wait-ms", "101"))))
                .hasMessageContaining("spi-events-listener--nhi-evidence--batch-wait-ms must be a whole number from 0"
                        + " to 100");
        assertThatThrownBy(() -> EvidenceConfig.from(scope(Map.of("sinks", "jdbc",
                "jdbc-url", "jdbc:mysql://localhost/evidence"))))
                .hasMessageContaining("jdbc-url must be a jdbc:postgresql:// URL");
        assertThatThrownBy(() -> EvidenceConfig.from(scope(Map.of("sinks", "http",
                "http-url", "https://siem.example/ingest", "http-hmac-secret", "too-short"))))
                .hasMessageContaining("http-hmac-secret must have at least 16 characters");
    }

    @Test
    void severalSinksAreTakenTogether() {
        EvidenceConfig config = EvidenceConfig.from(scope(Map.of("sinks", "file, jdbc",
                "jdbc-url", "jdbc:postgresql://evidence.example/evidence", "batch-wait-ms", "10")));

        assertThat(config.sinks()).isEqualTo(List.of("file", "jdbc"));
        assertThat(config.batchWait()).isEqualTo(Duration.ofMillis(10));
    }

    /** The options as Keycloak hands them over: only {@code get} is used. */
    private static Config.Scope scope(Map<String, String> options) {
        return (Config.Scope) Proxy.newProxyInstance(EvidenceConfigTest.class.getClassLoader(),
                new Class<?>[] {Config.Scope.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("get")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    String value = options.get((String) args[0]);
                    return value == null && args.length > 1 ? args[1] : value;
                });
    }
}
