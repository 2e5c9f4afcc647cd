package dev.nhi.identity.core;

import java.time.Instant;

/** Test records with sensible defaults. */
public final class Records {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Records() {
    }

    public static NhiRecord.Builder active() {
        return new NhiRecord.Builder().id("r1").realmId("realm").clientUuid("uuid-1").clientId("billing")
                .ownerId("alice").purpose("exports invoices").createdAt(T0).expiresAt(T0.plusSeconds(86_400 * 100))
                .version(1);
    }
}
