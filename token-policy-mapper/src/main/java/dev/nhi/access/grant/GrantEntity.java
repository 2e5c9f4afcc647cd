package dev.nhi.access.grant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The current state of one JIT grant; each change also appends a {@link GrantVersionEntity}. */
@Entity
@Table(name = "NHI_GRANT")
public class GrantEntity {
    @Id
    @Column(name = "ID", length = 36, updatable = false)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false, updatable = false)
    String realmId;
    @Column(name = "RECORD_ID", length = 36, nullable = false, updatable = false)
    String recordId;
    @Column(name = "CLIENT_UUID", length = 36, nullable = false, updatable = false)
    String clientUuid;
    @Column(name = "CLIENT_ID", nullable = false, updatable = false)
    String clientId;
    /** Space-separated, as in an OAuth scope parameter. */
    @Column(name = "SCOPES", length = 4000, nullable = false, updatable = false)
    String scopes;
    @Column(name = "DURATION_SECONDS", nullable = false, updatable = false)
    long durationSeconds;
    @Column(name = "REASON", length = 1024, nullable = false, updatable = false)
    String reason;
    @Column(name = "STATE", length = 16, nullable = false)
    String state;
    @Column(name = "REQUESTED_BY_ID", length = 36, updatable = false)
    String requestedById;
    @Column(name = "REQUESTED_BY", nullable = false, updatable = false)
    String requestedBy;
    @Column(name = "REQUESTED_AT", nullable = false, updatable = false)
    long requestedAt;
    @Column(name = "DECIDED_BY_ID", length = 36)
    String decidedById;
    @Column(name = "DECIDED_BY")
    String decidedBy;
    @Column(name = "DECIDED_AT")
    Long decidedAt;
    @Column(name = "DECISION_COMMENT", length = 1024)
    String decisionComment;
    @Column(name = "REVOKED_BY_ID", length = 36)
    String revokedById;
    @Column(name = "REVOKED_BY")
    String revokedBy;
    @Column(name = "REVOKED_AT")
    Long revokedAt;
    @Column(name = "REVOKE_COMMENT", length = 1024)
    String revokeComment;
    @Column(name = "EXPIRES_AT")
    Long expiresAt;
    @Column(name = "VERSION", nullable = false)
    long version;
}
