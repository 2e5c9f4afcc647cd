package dev.nhi.access.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.NotPermittedException;
import dev.nhi.identity.core.StateConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantTest {
    private static final Instant NOW = Instant.parse("2026-06-03T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private static Grant pending(long seconds) {
        return Grant.request("g", "r", "u", "c", List.of("write", "admin"), seconds, 3600, "incident 42",
                "alice-id", "alice", NOW);
    }

    @Test
    void theRequesterCanNeverDecideTheirOwnGrant() {
        Grant grant = pending(600);
        assertThatThrownBy(() -> grant.approve("alice-id", "alice", null, NOW, DAY))
                .isInstanceOf(NotPermittedException.class).hasMessageContaining("four eyes");
        assertThatThrownBy(() -> grant.deny("alice-id", "alice", null, NOW, DAY))
                .isInstanceOf(NotPermittedException.class);
        Grant approved = grant.approve("bob-id", "bob", "ok", NOW.plusSeconds(30), DAY);
        assertThat(approved.expiresAt()).as("the duration runs from the approval").isEqualTo(NOW.plusSeconds(630));
        assertThat(approved.version()).isEqualTo(2);
        assertThatThrownBy(() -> approved.approve("dana-id", "dana", null, NOW, DAY))
                .isInstanceOf(StateConflictException.class);
    }

    @Test
    void anApprovedGrantExpiresOnItsOwnAndCanBeRevokedUntilThen() {
        Grant approved = pending(60).approve("bob-id", "bob", null, NOW, DAY);
        assertThat(approved.stateAt(NOW.plusSeconds(59), DAY)).isEqualTo(GrantState.APPROVED);
        assertThat(approved.stateAt(NOW.plusSeconds(60), DAY)).isEqualTo(GrantState.EXPIRED);
        assertThat(approved.revoke("alice-id", "alice", "done", NOW.plusSeconds(10), DAY)
                .stateAt(NOW.plusSeconds(11), DAY)).isEqualTo(GrantState.REVOKED);
        assertThatThrownBy(() -> approved.revoke("bob-id", "bob", null, NOW.plusSeconds(61), DAY))
                .isInstanceOf(StateConflictException.class);
        assertThat(pending(60).revoke("alice-id", "alice", "not needed", NOW, DAY).state())
                .isEqualTo(GrantState.REVOKED);
    }

    @Test
    void aRequestNobodyDecidesLapsesAndCanNoLongerBeDecidedOrRevoked() {
        Grant grant = pending(600);
        assertThat(grant.stateAt(NOW.plus(DAY).minusSeconds(1), DAY)).isEqualTo(GrantState.PENDING);
        assertThat(grant.stateAt(NOW.plus(DAY), DAY)).isEqualTo(GrantState.EXPIRED);
        assertThat(grant.activeAt(NOW.plus(DAY))).isFalse();
        assertThatThrownBy(() -> grant.approve("bob-id", "bob", null, NOW.plus(DAY), DAY))
                .isInstanceOf(StateConflictException.class).hasMessageContaining("lapsed undecided at " + NOW.plus(DAY));
        assertThatThrownBy(() -> grant.deny("bob-id", "bob", null, NOW.plus(DAY), DAY))
                .isInstanceOf(StateConflictException.class);
        assertThatThrownBy(() -> grant.revoke("alice-id", "alice", null, NOW.plus(DAY), DAY))
                .isInstanceOf(StateConflictException.class);
        Grant approved = grant.approve("bob-id", "bob", null, NOW.plus(DAY).minusSeconds(1), DAY);
        assertThat(approved.stateAt(NOW.plus(DAY).plusSeconds(10), DAY)).as("an approved grant runs its own time")
                .isEqualTo(GrantState.APPROVED);
    }

    @Test
    void badRequestsNameTheField() {
        assertField(() -> Grant.request("g", "r", "u", "c", List.of(), 60, 3600, "x", "a", "a", NOW), "scopes");
        assertField(() -> Grant.request("g", "r", "u", "c", List.of("a b"), 60, 3600, "x", "a", "a", NOW), "scopes");
        assertField(() -> Grant.request("g", "r", "u", "c", List.of("a"), 3601, 3600, "x", "a", "a", NOW),
                "durationSeconds");
        assertField(() -> Grant.request("g", "r", "u", "c", List.of("a"), 0, 3600, "x", "a", "a", NOW),
                "durationSeconds");
    }

    private static void assertField(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
