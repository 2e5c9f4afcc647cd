package dev.nhi.access.rest;

import dev.nhi.access.core.Grant;
import dev.nhi.access.core.GrantState;
import dev.nhi.access.core.GrantStep;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A grant as JSON: its effective status (an approved grant past its time, or a request past
 * {@code pendingGrantExpirySeconds} undecided, reads {@code expired}) and who did what.
 */
final class GrantRepresentation {
    private GrantRepresentation() {
    }

    static Map<String, Object> of(Grant grant, Instant now, Duration pendingExpiry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", grant.id());
        map.put("clientId", grant.clientId());
        map.put("recordId", grant.recordId());
        map.put("scopes", grant.scopes());
        map.put("durationSeconds", grant.durationSeconds());
        map.put("reason", grant.reason());
        map.put("status", grant.stateAt(now, pendingExpiry).wire());
        map.put("requestedBy", actor(grant.requested()));
        map.put("requestedAt", time(grant.requested()));
        map.put("decidedBy", actor(grant.decided()));
        map.put("decidedAt", time(grant.decided()));
        map.put("decisionComment", grant.decided() == null ? null : grant.decided().comment());
        map.put("revokedBy", actor(grant.revoked()));
        map.put("revokedAt", time(grant.revoked()));
        map.put("revokeComment", grant.revoked() == null ? null : grant.revoked().comment());
        map.put("expiresAt", grant.expiresAt() == null ? null : grant.expiresAt().toString());
        map.put("decideBy", grant.state() == GrantState.PENDING ? grant.lapsesAt(pendingExpiry).toString() : null);
        map.put("version", grant.version());
        return map;
    }

    static Map<String, Object> step(GrantStep step) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", step.state().wire());
        map.put("by", actor(step));
        map.put("at", step.at().toString());
        map.put("comment", step.comment());
        return map;
    }

    private static Map<String, Object> actor(GrantStep step) {
        if (step == null) {
            return null;
        }
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("id", step.actorId());
        actor.put("username", step.actorName());
        return actor;
    }

    private static String time(GrantStep step) {
        return step == null ? null : step.at().toString();
    }
}
