package dev.nhi.identity.core;

import static dev.nhi.identity.core.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private final NhiSettings settings = NhiSettings.DEFAULTS;

    @Test
    void expiredTheInstantExpiresAtPasses() {
        NhiRecord r = Records.active().expiresAt(T0.plusSeconds(10)).build();
        assertThat(Lifecycle.effectiveStatus(r, T0.plusSeconds(9))).isEqualTo(NhiStatus.ACTIVE);
        assertThat(Lifecycle.effectiveStatus(r, T0.plusSeconds(10))).isEqualTo(NhiStatus.EXPIRED);
        assertThat(Lifecycle.effectiveStatus(r.toBuilder().status(NhiStatus.SUSPENDED).build(), T0.plusSeconds(99)))
                .isEqualTo(NhiStatus.SUSPENDED);
    }

    @Test
    void flagsFollowTheSettings() {
        NhiRecord r = Records.active().expiresAt(T0.plus(Duration.ofDays(20))).build();
        assertThat(Lifecycle.flags(r, settings, T0)).isEmpty();
        assertThat(Lifecycle.flags(r, settings, T0.plus(Duration.ofDays(6)))).containsExactly(NhiFlag.EXPIRING);
        assertThat(Lifecycle.flags(r.toBuilder().expiresAt(T0.plus(Duration.ofDays(200))).build(), settings,
                T0.plus(Duration.ofDays(91)))).containsExactlyInAnyOrder(NhiFlag.STALE, NhiFlag.REVIEW_OVERDUE);
        NhiRecord used = r.toBuilder().lastUsedAt(T0.plus(Duration.ofDays(5))).lastReviewedAt(T0.plus(Duration.ofDays(5)))
                .expiresAt(T0.plus(Duration.ofDays(200))).build();
        assertThat(Lifecycle.flags(used, settings, T0.plus(Duration.ofDays(91)))).isEmpty();
        assertThat(Lifecycle.reviewDueAt(used, settings)).isEqualTo(T0.plus(Duration.ofDays(95)));
        assertThat(Lifecycle.flags(r.toBuilder().orphanedAt(T0).build(), settings, T0)).containsExactly(NhiFlag.ORPHANED);
        assertThat(Lifecycle.flags(r.toBuilder().orphanedAt(T0).status(NhiStatus.DECOMMISSIONED).build(), settings,
                T0.plus(Duration.ofDays(300)))).isEmpty();
    }

    @Test
    void orphanGracePeriod() {
        NhiRecord r = Records.active().orphanedAt(T0).build();
        assertThat(Lifecycle.orphanGraceOver(r, settings, T0.plus(Duration.ofDays(7)).minusMillis(1))).isFalse();
        assertThat(Lifecycle.orphanGraceOver(r, settings, T0.plus(Duration.ofDays(7)))).isTrue();
        assertThat(Lifecycle.orphanGraceOver(r, settings.merge(java.util.Map.of("orphanGraceDays", 0)), T0)).isTrue();
        assertThat(Lifecycle.orphanGraceOver(Records.active().build(), settings, T0.plus(Duration.ofDays(999)))).isFalse();
    }

    @Test
    void transitions() {
        NhiRecord r = Records.active().build();
        NhiRecord suspended = Lifecycle.suspend(r, SuspensionCause.MANUAL, T0);
        assertThat(suspended.status()).isEqualTo(NhiStatus.SUSPENDED);
        assertThatThrownBy(() -> Lifecycle.suspend(suspended, SuspensionCause.MANUAL, T0))
                .isInstanceOf(StateConflictException.class);
        assertThat(Lifecycle.resume(suspended).status()).isEqualTo(NhiStatus.ACTIVE);
        assertThatThrownBy(() -> Lifecycle.resume(r)).isInstanceOf(StateConflictException.class);
        assertThatThrownBy(() -> Lifecycle.resume(suspended.toBuilder().orphanedAt(T0).build()))
                .hasMessageContaining("transfer ownership");
        NhiRecord gone = Lifecycle.decommission(suspended);
        assertThat(gone.status()).isEqualTo(NhiStatus.DECOMMISSIONED);
        assertThat(gone.suspensionCause()).isNull();
        for (Runnable terminal : new Runnable[] {() -> Lifecycle.decommission(gone), () -> Lifecycle.resume(gone),
                () -> Lifecycle.review(gone, T0), () -> Lifecycle.amend(gone),
                () -> Lifecycle.suspend(gone, SuspensionCause.MANUAL, T0)}) {
            assertThatThrownBy(terminal::run).isInstanceOf(StateConflictException.class);
        }
        assertThatThrownBy(() -> Lifecycle.suspend(r, SuspensionCause.MANUAL, r.expiresAt()))
                .hasMessageContaining("expired");
    }

    @Test
    void extendingAnExpiredRecordRevivesIt() {
        NhiRecord expired = Lifecycle.expire(Records.active().build());
        Instant now = expired.expiresAt().plusSeconds(5);
        assertThat(Lifecycle.reviveIfExtended(expired, now).status()).isEqualTo(NhiStatus.EXPIRED);
        NhiRecord extended = expired.toBuilder().expiresAt(now.plusSeconds(60)).build();
        assertThat(Lifecycle.reviveIfExtended(extended, now).status()).isEqualTo(NhiStatus.ACTIVE);
    }

    @Test
    void expiryIsBoundedByMaxLifetime() {
        Lifecycle.checkExpiry(T0.plus(Duration.ofDays(365)), settings, T0);
        assertThatThrownBy(() -> Lifecycle.checkExpiry(T0.plus(Duration.ofDays(365)).plusSeconds(1), settings, T0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("365 days");
        assertThatThrownBy(() -> Lifecycle.checkExpiry(T0, settings, T0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("future");
    }
}
