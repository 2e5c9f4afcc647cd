package dev.nhi.identity.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Current state of a record. {@code REVIEW_BASE_AT} and {@code ACTIVITY_AT} are the "since when"
 * instants of the REVIEW_OVERDUE and STALE flags, kept as columns so that flag filters use an index.
 */
@Entity
@Table(name = "NHI_RECORD")
public class NhiRecordEntity {
    @Id
    @Column(name = "ID", length = 36)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;
    @Column(name = "CLIENT_UUID", length = 36, nullable = false)
    String clientUuid;
    @Column(name = "CLIENT_ID", nullable = false)
    String clientId;
    @Column(name = "KIND", length = 32, nullable = false)
    String kind;
    @Column(name = "OWNER_ID", length = 36, nullable = false)
    String ownerId;
    @Column(name = "OWNER_GROUP")
    String ownerGroup;
    @Column(name = "PURPOSE", length = 1024, nullable = false)
    String purpose;
    @Column(name = "ENVIRONMENT", length = 64)
    String environment;
    @Column(name = "PROV_SYSTEM", length = 128)
    String provenanceSystem;
    @Column(name = "PROV_REFERENCE", length = 512)
    String provenanceReference;
    @Column(name = "PROV_CREATED_BY")
    String provenanceCreatedBy;
    @Column(name = "DELEGATED_BY_ID", length = 36)
    String delegatedById;
    @Column(name = "STATUS", length = 16, nullable = false)
    String status;
    @Column(name = "SUSPENSION_CAUSE", length = 16)
    String suspensionCause;
    @Column(name = "CREATED_AT", nullable = false)
    long createdAt;
    @Column(name = "EXPIRES_AT", nullable = false)
    long expiresAt;
    @Column(name = "LAST_REVIEWED_AT")
    Long lastReviewedAt;
    @Column(name = "REVIEW_BASE_AT", nullable = false)
    long reviewBaseAt;
    @Column(name = "LAST_USED_AT")
    Long lastUsedAt;
    @Column(name = "ACTIVITY_AT", nullable = false)
    long activityAt;
    @Column(name = "ORPHANED_AT")
    Long orphanedAt;
    @Column(name = "VERSION", nullable = false)
    long version;
}
