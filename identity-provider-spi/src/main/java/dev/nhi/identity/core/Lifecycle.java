package dev.nhi.identity.core;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle rules of a record: its effective status, its posture flags and the allowed transitions.
 * Everything is a function of the record, the realm settings and {@code now}, so a token-time
 * decision never depends on a background job having run.
 */
public final class Lifecycle {
    private Lifecycle() {
    }

    /** The status as of {@code now}: an active record is expired the instant {@code expiresAt} passes. */
    public static NhiStatus effectiveStatus(NhiRecord r, Instant now) {
        if (r.status() == NhiStatus.ACTIVE && !now.isBefore(r.expiresAt())) {
            return NhiStatus.EXPIRED;
        }
        return r.status();
    }

    public static Instant reviewDueAt(NhiRecord r, NhiSettings s) {
        Instant base = r.lastReviewedAt() != null ? r.lastReviewedAt() : r.createdAt();
        return base.plus(s.reviewInterval());
    }

    public static Set<NhiFlag> flags(NhiRecord r, NhiSettings s, Instant now) {
        EnumSet<NhiFlag> flags = EnumSet.noneOf(NhiFlag.class);
        if (r.status() == NhiStatus.DECOMMISSIONED) {
            return flags;
        }
        if (effectiveStatus(r, now) == NhiStatus.ACTIVE && !now.plus(s.expiryWarning()).isBefore(r.expiresAt())) {
            flags.add(NhiFlag.EXPIRING);
        }
        if (r.orphanedAt() != null) {
            flags.add(NhiFlag.ORPHANED);
        }
        Instant lastActivity = r.lastUsedAt() != null ? r.lastUsedAt() : r.createdAt();
        if (!now.isBefore(lastActivity.plus(s.staleAfter()))) {
            flags.add(NhiFlag.STALE);
        }
        if (!now.isBefore(reviewDueAt(r, s))) {
            flags.add(NhiFlag.REVIEW_OVERDUE);
        }
        return flags;
    }

    /** True when an orphaned record has outlived its grace period and must be suspended. */
    public static boolean orphanGraceOver(NhiRecord r, NhiSettings s, Instant now) {
        return r.orphanedAt() != null && !now.isBefore(r.orphanedAt().plus(s.orphanGrace()));
    }

    public static NhiRecord suspend(NhiRecord r, SuspensionCause cause, Instant now) {
        requireNotDecommissioned(r, "suspend");
        if (r.status() == NhiStatus.SUSPENDED) {
            throw new StateConflictException("record is already suspended");
        }
        if (effectiveStatus(r, now) == NhiStatus.EXPIRED) {
            throw new StateConflictException("record is expired; extend expiresAt or decommission it");
        }
        return r.toBuilder().status(NhiStatus.SUSPENDED).suspensionCause(cause).build();
    }

    public static NhiRecord resume(NhiRecord r) {
        requireNotDecommissioned(r, "resume");
        if (r.status() != NhiStatus.SUSPENDED) {
            throw new StateConflictException("only a suspended record can be resumed");
        }
        if (r.orphanedAt() != null) {
            throw new StateConflictException("the owner is disabled or deleted; transfer ownership before resuming");
        }
        return r.toBuilder().status(NhiStatus.ACTIVE).suspensionCause(null).build();
    }

    public static NhiRecord decommission(NhiRecord r) {
        requireNotDecommissioned(r, "decommission");
        return r.toBuilder().status(NhiStatus.DECOMMISSIONED).suspensionCause(null).build();
    }

    public static NhiRecord review(NhiRecord r, Instant now) {
        requireNotDecommissioned(r, "review");
        return r.toBuilder().lastReviewedAt(now).build();
    }

    /** The sweeper's transition once {@code expiresAt} has passed. */
    public static NhiRecord expire(NhiRecord r) {
        return r.toBuilder().status(NhiStatus.EXPIRED).build();
    }

    public static NhiRecord orphan(NhiRecord r, Instant now) {
        return r.toBuilder().orphanedAt(now).build();
    }

    /** A record may be changed (PATCH) until it is decommissioned; a new expiry revives an expired one. */
    public static NhiRecord.Builder amend(NhiRecord r) {
        requireNotDecommissioned(r, "change");
        return r.toBuilder();
    }

    public static NhiRecord reviveIfExtended(NhiRecord r, Instant now) {
        if (r.status() == NhiStatus.EXPIRED && now.isBefore(r.expiresAt())) {
            return r.toBuilder().status(NhiStatus.ACTIVE).build();
        }
        return r;
    }

    /** Checks a requested expiry against the realm's maximum lifetime, at registration and at every extension. */
    public static void checkExpiry(Instant expiresAt, NhiSettings s, Instant now) {
        if (!expiresAt.isAfter(now)) {
            throw new InvalidInputException("expiresAt", "expiresAt must be in the future");
        }
        if (expiresAt.isAfter(now.plus(s.maxLifetime()))) {
            throw new InvalidInputException("expiresAt",
                    "expiresAt may be at most " + s.maxLifetimeDays() + " days from now (maxLifetimeDays)");
        }
    }

    private static void requireNotDecommissioned(NhiRecord r, String action) {
        if (r.status() == NhiStatus.DECOMMISSIONED) {
            throw new StateConflictException("record is decommissioned; cannot " + action + " it");
        }
    }
}
