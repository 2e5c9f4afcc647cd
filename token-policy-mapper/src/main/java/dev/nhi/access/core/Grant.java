package dev.nhi.access.core;

import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.NotPermittedException;
import dev.nhi.identity.core.StateConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A just-in-time elevation: an NHI may carry {@link #scopes} in its tokens from approval until
 * {@link #expiresAt}. Immutable; each transition returns the next version. Four eyes: whoever requested
 * a grant can never decide it. A request nobody decides within the realm's {@code pendingGrantExpirySeconds}
 * lapses: an approval long after the need was stated would grant access nobody is asking for any more.
 *
 * @param expiresAt null until approved: the duration runs from the approval, not from the request
 */
public record Grant(String id, String recordId, String clientUuid, String clientId, SortedSet<String> scopes,
                    long durationSeconds, String reason, GrantState state, GrantStep requested, GrantStep decided,
                    GrantStep revoked, Instant expiresAt, long version) {
    public static final int MAX_SCOPES = 32;
    /** RFC 6749 scope-token characters. */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,255}");

    public Grant {
        scopes = new TreeSet<>(scopes);
    }

    /** A pending request, validated: scopes present and well formed, duration within the realm's cap. */
    public static Grant request(String id, String recordId, String clientUuid, String clientId,
                                Collection<String> scopes, long durationSeconds, long maxDurationSeconds,
                                String reason, String actorId, String actorName, Instant now) {
        if (scopes.isEmpty()) {
            throw new InvalidInputException("scopes", "scopes must list at least one scope");
        }
        if (scopes.size() > MAX_SCOPES) {
            throw new InvalidInputException("scopes", "scopes may list at most " + MAX_SCOPES + " scopes");
        }
        for (String scope : scopes) {
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                throw new InvalidInputException("scopes", "each scope must be a non-empty OAuth scope token"
                        + " (no spaces, quotes or backslashes)");
            }
        }
        if (durationSeconds < 1 || durationSeconds > maxDurationSeconds) {
            throw new InvalidInputException("durationSeconds", "durationSeconds must be between 1 and "
                    + maxDurationSeconds + " (the realm's maxGrantDurationSeconds)");
        }
        return new Grant(id, recordId, clientUuid, clientId, new TreeSet<>(scopes), durationSeconds, reason,
                GrantState.PENDING, new GrantStep(GrantState.PENDING, actorId, actorName, reason, now), null, null,
                null, 1);
    }

    public Grant approve(String actorId, String actorName, String comment, Instant now, Duration pendingExpiry) {
        requireDecidable(actorId, "approve", now, pendingExpiry);
        return new Grant(id, recordId, clientUuid, clientId, scopes, durationSeconds, reason, GrantState.APPROVED,
                requested, new GrantStep(GrantState.APPROVED, actorId, actorName, comment, now), null,
                now.plus(Duration.ofSeconds(durationSeconds)), version + 1);
    }

    public Grant deny(String actorId, String actorName, String comment, Instant now, Duration pendingExpiry) {
        requireDecidable(actorId, "deny", now, pendingExpiry);
        return new Grant(id, recordId, clientUuid, clientId, scopes, durationSeconds, reason, GrantState.DENIED,
                requested, new GrantStep(GrantState.DENIED, actorId, actorName, comment, now), null, null,
                version + 1);
    }

    /** Withdraws a pending request or ends an approved grant early. */
    public Grant revoke(String actorId, String actorName, String comment, Instant now, Duration pendingExpiry) {
        GrantState current = stateAt(now, pendingExpiry);
        if (current != GrantState.PENDING && current != GrantState.APPROVED) {
            throw new StateConflictException("grant " + id + " is " + current.wire() + "; only a pending or"
                    + " approved grant can be revoked");
        }
        return new Grant(id, recordId, clientUuid, clientId, scopes, durationSeconds, reason, GrantState.REVOKED,
                requested, decided, new GrantStep(GrantState.REVOKED, actorId, actorName, comment, now), expiresAt,
                version + 1);
    }

    /**
     * The stored state, or {@link GrantState#EXPIRED} once an approved grant's time is up, or once a pending
     * request has waited {@code pendingExpiry} undecided.
     */
    public GrantState stateAt(Instant now, Duration pendingExpiry) {
        if (state == GrantState.APPROVED && !now.isBefore(expiresAt)
                || state == GrantState.PENDING && !now.isBefore(lapsesAt(pendingExpiry))) {
            return GrantState.EXPIRED;
        }
        return state;
    }

    /** When a pending request lapses undecided. */
    public Instant lapsesAt(Duration pendingExpiry) {
        return requested.at().plus(pendingExpiry);
    }

    public boolean activeAt(Instant now) {
        return state == GrantState.APPROVED && now.isBefore(expiresAt);
    }

    public boolean covers(Set<String> wanted) {
        return scopes.containsAll(wanted);
    }

    public boolean requestedBy(String actorId) {
        return actorId != null && actorId.equals(requested.actorId());
    }

    private void requireDecidable(String actorId, String action, Instant now, Duration pendingExpiry) {
        GrantState current = stateAt(now, pendingExpiry);
        if (current == GrantState.EXPIRED) {
            throw new StateConflictException("grant " + id + " lapsed undecided at " + lapsesAt(pendingExpiry)
                    + " (the realm's pendingGrantExpirySeconds); request it again");
        }
        if (current != GrantState.PENDING) {
            throw new StateConflictException("grant " + id + " is " + current.wire() + "; only a pending grant can be"
                    + " decided");
        }
        if (requestedBy(actorId)) {
            throw new NotPermittedException("four eyes: the requester of grant " + id + " cannot " + action + " it");
        }
    }
}
