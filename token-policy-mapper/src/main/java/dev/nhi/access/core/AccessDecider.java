package dev.nhi.access.core;

import dev.nhi.identity.core.Lifecycle;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NhiStatus;
import dev.nhi.identity.core.SuspensionCause;
import java.time.Instant;

/**
 * Decides a client-credentials request from the identity record alone. Pure: the same record,
 * settings and instant always give the same decision, and nothing here waits on the sweeper
 * (a record is expired the instant {@code expiresAt} passes; an orphan is refused the instant its
 * grace period ends).
 */
public final class AccessDecider {
    private AccessDecider() {
    }

    /** @param record the client's record, or null when it has none */
    public static Decision decide(NhiRecord record, NhiSettings settings, Instant now) {
        if (record == null) {
            return settings.requireRecord()
                    ? Decision.deny(DenialCode.UNREGISTERED, "client has no NHI record")
                    : Decision.ALLOW;
        }
        NhiStatus status = Lifecycle.effectiveStatus(record, now);
        return switch (status) {
            case DECOMMISSIONED -> Decision.deny(DenialCode.DECOMMISSIONED, "NHI is decommissioned");
            case SUSPENDED -> record.suspensionCause() == SuspensionCause.ORPHANED
                    ? Decision.deny(DenialCode.ORPHANED, "NHI was suspended because its owner is gone")
                    : Decision.deny(DenialCode.SUSPENDED, "NHI is suspended");
            case EXPIRED -> Decision.deny(DenialCode.EXPIRED, "NHI expired at " + record.expiresAt());
            case ACTIVE -> Lifecycle.orphanGraceOver(record, settings, now)
                    ? Decision.deny(DenialCode.ORPHANED, "NHI's owner is gone and the grace period is over")
                    : Decision.ALLOW;
        };
    }
}
