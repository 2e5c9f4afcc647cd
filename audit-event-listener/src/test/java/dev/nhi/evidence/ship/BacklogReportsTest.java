package dev.nhi.evidence.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacklogReportsTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private final BacklogReports reports = new BacklogReports(Duration.ofSeconds(60));

    @Test
    void aFailureIsLoggedWhenItBeginsThenOncePerInterval() {
        assertThat(reports.due("acme", true, 0)).as("the failure begins").isTrue();
        assertThat(reports.due("acme", true, 59 * SECOND)).isFalse();
        assertThat(reports.due("acme", true, 60 * SECOND)).isTrue();
        assertThat(reports.due("acme", true, 61 * SECOND)).isFalse();
    }

    @Test
    void nothingIsLoggedWhileEverySinkTakesItsRecords() {
        assertThat(reports.due("acme", false, 0)).isFalse();
        assertThat(reports.due("acme", false, 120 * SECOND)).isFalse();
    }

    @Test
    void aNewFailureAfterARecoveryIsLoggedAtOnce() {
        assertThat(reports.due("acme", true, 0)).isTrue();
        assertThat(reports.due("acme", false, 10 * SECOND)).isFalse();
        assertThat(reports.due("acme", true, 20 * SECOND)).as("a new failure, within the interval").isTrue();
    }

    @Test
    void eachRealmHasItsOwnInterval() {
        assertThat(reports.due("acme", true, 0)).isTrue();
        assertThat(reports.due("beta", true, 30 * SECOND)).isTrue();
        assertThat(reports.due("acme", true, 60 * SECOND)).isTrue();
        assertThat(reports.due("beta", true, 60 * SECOND)).isFalse();
    }

    @Test
    void theLineNamesTheBacklogItsAgeAndEachFailingSink() {
        assertThat(BacklogReports.line("acme", 895, 3, 61L, List.of("jdbc"))).isEqualTo("realm=acme evidence"
                + " backlog: 895 records not yet on every sink and 3 not yet chained, the oldest written 61 s ago;"
                + " waiting for the jdbc sink, nothing is dropped");
        assertThat(BacklogReports.line("acme", 0, 0, null, List.of("jdbc", "http"))).isEqualTo("realm=acme"
                + " evidence backlog: 0 records not yet on every sink and 0 not yet chained;"
                + " waiting for the jdbc and http sinks, nothing is dropped");
    }
}
