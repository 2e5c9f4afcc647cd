package dev.nhi.evidence.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void waitsGrowExponentiallyUpToTheCapWithJitterAndResetOnSuccess() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0);
        assertThat(backoff.failed(NOW)).isEqualTo(NOW.plusSeconds(1));
        assertThat(backoff.failed(NOW)).isEqualTo(NOW.plusSeconds(2));
        assertThat(backoff.failed(NOW)).isEqualTo(NOW.plusSeconds(4));
        for (int i = 0; i < 40; i++) {
            backoff.failed(NOW);
        }
        assertThat(backoff.failed(NOW)).isEqualTo(NOW.plusSeconds(60));
        assertThat(backoff.ready(NOW.plusSeconds(59))).isFalse();
        assertThat(backoff.ready(NOW.plusSeconds(60))).isTrue();
        backoff.succeeded();
        assertThat(backoff.ready(NOW)).isTrue();
        Backoff jittered = new Backoff(Duration.ofSeconds(8), Duration.ofSeconds(60), () -> 0.25);
        assertThat(jittered.failed(NOW)).isEqualTo(NOW.plusSeconds(2));
    }
}
