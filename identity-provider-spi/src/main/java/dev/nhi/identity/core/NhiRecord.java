package dev.nhi.identity.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a machine identity's authoritative record. Immutable: every change produces a new
 * value with {@code version + 1}. Times are UTC instants; {@code null} means "never".
 */
public record NhiRecord(
        String id,
        String realmId,
        String clientUuid,
        String clientId,
        NhiKind kind,
        String ownerId,
        String ownerGroup,
        String purpose,
        String environment,
        Provenance provenance,
        String delegatedById,
        NhiStatus status,
        SuspensionCause suspensionCause,
        Instant createdAt,
        Instant expiresAt,
        Instant lastReviewedAt,
        Instant lastUsedAt,
        Instant orphanedAt,
        long version) {

    public NhiRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(realmId, "realmId");
        Objects.requireNonNull(clientUuid, "clientUuid");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(provenance, "provenance");
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copies a record with some fields changed. The version is bumped by the store, not here. */
    public static final class Builder {
        private String id;
        private String realmId;
        private String clientUuid;
        private String clientId;
        private NhiKind kind;
        private String ownerId;
        private String ownerGroup;
        private String purpose;
        private String environment;
        private Provenance provenance;
        private String delegatedById;
        private NhiStatus status;
        private SuspensionCause suspensionCause;
        private Instant createdAt;
        private Instant expiresAt;
        private Instant lastReviewedAt;
        private Instant lastUsedAt;
        private Instant orphanedAt;
        private long version;

        public Builder() {
            provenance = Provenance.NONE;
            status = NhiStatus.ACTIVE;
            kind = NhiKind.SERVICE_ACCOUNT;
        }

        private Builder(NhiRecord r) {
            id = r.id;
            realmId = r.realmId;
            clientUuid = r.clientUuid;
            clientId = r.clientId;
            kind = r.kind;
            ownerId = r.ownerId;
            ownerGroup = r.ownerGroup;
            purpose = r.purpose;
            environment = r.environment;
            provenance = r.provenance;
            delegatedById = r.delegatedById;
            status = r.status;
            suspensionCause = r.suspensionCause;
            createdAt = r.createdAt;
            expiresAt = r.expiresAt;
            lastReviewedAt = r.lastReviewedAt;
            lastUsedAt = r.lastUsedAt;
            orphanedAt = r.orphanedAt;
            version = r.version;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder realmId(String v) { realmId = v; return this; }
        public Builder clientUuid(String v) { clientUuid = v; return this; }
        public Builder clientId(String v) { clientId = v; return this; }
        public Builder kind(NhiKind v) { kind = v; return this; }
        public Builder ownerId(String v) { ownerId = v; return this; }
        public Builder ownerGroup(String v) { ownerGroup = v; return this; }
        public Builder purpose(String v) { purpose = v; return this; }
        public Builder environment(String v) { environment = v; return this; }
        public Builder provenance(Provenance v) { provenance = v; return this; }
        public Builder delegatedById(String v) { delegatedById = v; return this; }
        public Builder status(NhiStatus v) { status = v; return this; }
        public Builder suspensionCause(SuspensionCause v) { suspensionCause = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder expiresAt(Instant v) { expiresAt = v; return this; }
        public Builder lastReviewedAt(Instant v) { lastReviewedAt = v; return this; }
        public Builder lastUsedAt(Instant v) { lastUsedAt = v; return this; }
        public Builder orphanedAt(Instant v) { orphanedAt = v; return this; }
        public Builder version(long v) { version = v; return this; }

        public NhiRecord build() {
            return new NhiRecord(id, realmId, clientUuid, clientId, kind, ownerId, ownerGroup, purpose, environment,
                    provenance, delegatedById, status, suspensionCause, createdAt, expiresAt, lastReviewedAt,
                    lastUsedAt, orphanedAt, version);
        }
    }
}
