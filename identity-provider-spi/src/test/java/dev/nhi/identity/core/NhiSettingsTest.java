package dev.nhi.identity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NhiSettingsTest {
    @Test
    void defaultsMatchTheContract() {
        assertThat(NhiSettings.DEFAULTS.toMap()).containsExactly(
                Map.entry("mode", "audit"), Map.entry("requireRecord", true), Map.entry("maxLifetimeDays", 365),
                Map.entry("reviewIntervalDays", 90), Map.entry("expiryWarningDays", 14),
                Map.entry("orphanGraceDays", 7), Map.entry("staleAfterDays", 90),
                Map.entry("defaultTokenTtlSeconds", 300), Map.entry("maxGrantDurationSeconds", 3600),
                Map.entry("pendingGrantExpirySeconds", 86_400));
    }

    @Test
    void mergeChangesOnlyTheGivenFieldsAndRoundTrips() {
        NhiSettings s = NhiSettings.DEFAULTS.merge(Map.of("mode", "enforce", "staleAfterDays", 30L));
        assertThat(s.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(s.staleAfterDays()).isEqualTo(30);
        assertThat(s.reviewIntervalDays()).isEqualTo(90);
        assertThat(NhiSettings.DEFAULTS.merge(s.toMap())).isEqualTo(s);
    }

    @Test
    void invalidFieldsAreNamed() {
        assertField(Map.of("mode", "strict"), "mode");
        assertField(Map.of("mode", 1), "mode");
        assertField(Map.of("requireRecord", "true"), "requireRecord");
        assertField(Map.of("maxLifetimeDays", 0), "maxLifetimeDays");
        assertField(Map.of("maxLifetimeDays", 2.5), "maxLifetimeDays");
        assertField(Map.of("orphanGraceDays", -1), "orphanGraceDays");
        assertField(Map.of("defaultTokenTtlSeconds", 86_401), "defaultTokenTtlSeconds");
        assertField(Map.of("pendingGrantExpirySeconds", 59), "pendingGrantExpirySeconds");
        assertField(Map.of("unknown", 1), "unknown");
    }

    private static void assertField(Map<String, ?> input, String field) {
        assertThatThrownBy(() -> NhiSettings.DEFAULTS.merge(input)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
