package dev.nhi.identity.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Who changed a record, how and why. {@code actorId} is null for the system itself (the sweeper,
 * Keycloak removing a client).
 */
public record Change(ChangeType type, String actorId, String actorName, String reason, Instant at) {
    public static final String SYSTEM = "system";

    public Change {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actorName, "actorName");
        Objects.requireNonNull(at, "at");
    }
}
