package dev.nhi.identity.jpa;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.identity.core.NhiKind;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiStatus;
import dev.nhi.identity.core.Provenance;
import dev.nhi.identity.core.SuspensionCause;
import dev.nhi.identity.core.WireEnum;
import java.time.Instant;

/** Converts between the domain record, its row and its JSON snapshot in the history table. */
final class RecordMapping {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);

    private RecordMapping() {
    }

    static NhiRecord toRecord(NhiRecordEntity e) {
        return new NhiRecord(e.id, e.realmId, e.clientUuid, e.clientId, kind(e.kind), e.ownerId, e.ownerGroup,
                e.purpose, e.environment,
                new Provenance(e.provenanceSystem, e.provenanceReference, e.provenanceCreatedBy),
                e.delegatedById, status(e.status), cause(e.suspensionCause), instant(e.createdAt),
                instant(e.expiresAt), instant(e.lastReviewedAt), instant(e.lastUsedAt), instant(e.orphanedAt),
                e.version);
    }

    static void apply(NhiRecord r, NhiRecordEntity e) {
        e.id = r.id();
        e.realmId = r.realmId();
        e.clientUuid = r.clientUuid();
        e.clientId = r.clientId();
        e.kind = r.kind().wire();
        e.ownerId = r.ownerId();
        e.ownerGroup = r.ownerGroup();
        e.purpose = r.purpose();
        e.environment = r.environment();
        e.provenanceSystem = r.provenance().system();
        e.provenanceReference = r.provenance().reference();
        e.provenanceCreatedBy = r.provenance().createdBy();
        e.delegatedById = r.delegatedById();
        e.status = r.status().wire();
        e.suspensionCause = r.suspensionCause() == null ? null : r.suspensionCause().wire();
        e.createdAt = r.createdAt().toEpochMilli();
        e.expiresAt = r.expiresAt().toEpochMilli();
        e.lastReviewedAt = millis(r.lastReviewedAt());
        e.reviewBaseAt = (r.lastReviewedAt() != null ? r.lastReviewedAt() : r.createdAt()).toEpochMilli();
        e.lastUsedAt = millis(r.lastUsedAt());
        e.activityAt = (r.lastUsedAt() != null ? r.lastUsedAt() : r.createdAt()).toEpochMilli();
        e.orphanedAt = millis(r.orphanedAt());
        e.version = r.version();
    }

    /** The row's columns as JSON: a history snapshot is exactly what the row held at that version. */
    static String snapshot(NhiRecord r) {
        NhiRecordEntity e = new NhiRecordEntity();
        apply(r, e);
        try {
            return JSON.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise record " + r.id(), ex);
        }
    }

    static NhiRecord fromSnapshot(String json) {
        try {
            return toRecord(JSON.readValue(json, NhiRecordEntity.class));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("corrupt history snapshot", ex);
        }
    }

    private static NhiKind kind(String wire) {
        return WireEnum.parse(NhiKind.class, "kind", wire);
    }

    private static NhiStatus status(String wire) {
        return WireEnum.parse(NhiStatus.class, "status", wire);
    }

    private static SuspensionCause cause(String wire) {
        return wire == null ? null : WireEnum.parse(SuspensionCause.class, "suspensionCause", wire);
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

}
