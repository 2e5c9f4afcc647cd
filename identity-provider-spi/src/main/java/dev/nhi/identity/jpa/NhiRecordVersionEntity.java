package dev.nhi.identity.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One immutable version of a record: written once, never updated, deleted only with its realm. */
@Entity
@Table(name = "NHI_RECORD_VERSION")
public class NhiRecordVersionEntity {
    @Id
    @Column(name = "ID", length = 36, updatable = false)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false, updatable = false)
    String realmId;
    @Column(name = "RECORD_ID", length = 36, nullable = false, updatable = false)
    String recordId;
    @Column(name = "VERSION", nullable = false, updatable = false)
    long version;
    @Column(name = "CHANGED_AT", nullable = false, updatable = false)
    long changedAt;
    @Column(name = "CHANGED_BY_ID", length = 36, updatable = false)
    String changedById;
    @Column(name = "CHANGED_BY", nullable = false, updatable = false)
    String changedBy;
    @Column(name = "CHANGE_TYPE", length = 32, nullable = false, updatable = false)
    String changeType;
    @Column(name = "REASON", length = 1024, updatable = false)
    String reason;
    @Column(name = "SNAPSHOT", length = 8000, nullable = false, updatable = false)
    String snapshot;
}
