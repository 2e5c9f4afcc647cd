package dev.nhi.access.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.identity.core.Lifecycle;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NhiStatus;
import dev.nhi.identity.core.SuspensionCause;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessDeciderTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final NhiSettings SETTINGS = NhiSettings.DEFAULTS;

    private static NhiRecord.Builder active() {
        return new NhiRecord.Builder().id("r").realmId("realm").clientUuid("u").clientId("c").ownerId("o")
                .purpose("p").createdAt(NOW.minus(Duration.ofDays(1))).expiresAt(NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void activeRecordIsAllowed() {
        assertThat(AccessDecider.decide(active().build(), SETTINGS, NOW)).isSameAs(Decision.ALLOW);
    }

    @Test
    void unregisteredDependsOnRequireRecord() {
        assertThat(AccessDecider.decide(null, SETTINGS, NOW).code()).isEqualTo(DenialCode.UNREGISTERED);
        assertThat(AccessDecider.decide(null, SETTINGS.merge(Map.of("requireRecord", false)), NOW).allowed()).isTrue();
    }

    @Test
    void eachStateHasItsCode() {
        NhiRecord r = active().build();
        assertThat(code(r.toBuilder().expiresAt(NOW).build())).isEqualTo(DenialCode.EXPIRED);
        assertThat(code(Lifecycle.expire(r))).isEqualTo(DenialCode.EXPIRED);
        assertThat(code(Lifecycle.suspend(r, SuspensionCause.MANUAL, NOW))).isEqualTo(DenialCode.SUSPENDED);
        assertThat(code(Lifecycle.suspend(r, SuspensionCause.ORPHANED, NOW))).isEqualTo(DenialCode.ORPHANED);
        assertThat(code(Lifecycle.decommission(r))).isEqualTo(DenialCode.DECOMMISSIONED);
        assertThat(code(r.toBuilder().status(NhiStatus.DECOMMISSIONED).expiresAt(NOW.minusSeconds(1)).build()))
                .isEqualTo(DenialCode.DECOMMISSIONED);
    }

    @Test
    void orphanIsRefusedTheInstantTheGraceEndsWithoutWaitingForTheSweeper() {
        NhiRecord orphan = active().orphanedAt(NOW.minus(Duration.ofDays(7))).build();
        assertThat(AccessDecider.decide(orphan, SETTINGS, NOW.minusMillis(1)).allowed()).isTrue();
        assertThat(code(orphan)).isEqualTo(DenialCode.ORPHANED);
    }

    @Test
    void descriptionCarriesTheCodeFirst() {
        Decision d = AccessDecider.decide(null, SETTINGS, NOW);
        assertThat(d.description()).startsWith("nhi_unregistered: ");
        assertThat(d.code().oauthError()).isEqualTo("unauthorized_client");
    }

    private static DenialCode code(NhiRecord r) {
        return AccessDecider.decide(r, SETTINGS, NOW).code();
    }
}
