package dev.nhi.access.grant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One step of a grant's history: written once, never updated, deleted only with its realm. */
@Entity
@Table(name = "NHI_GRANT_VERSION")
public class GrantVersionEntity {
    @Id
    @Column(name = "ID", length = 36, updatable = false)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false, updatable = false)
    String realmId;
    @Column(name = "GRANT_ID", length = 36, nullable = false, updatable = false)
    String grantId;
    @Column(name = "VERSION", nullable = false, updatable = false)
    long version;
    @Column(name = "STATE", length = 16, nullable = false, updatable = false)
    String state;
    @Column(name = "ACTOR_ID", length = 36, updatable = false)
    String actorId;
    @Column(name = "ACTOR", nullable = false, updatable = false)
    String actor;
    @Column(name = "COMMENT", length = 1024, updatable = false)
    String comment;
    @Column(name = "CHANGED_AT", nullable = false, updatable = false)
    long changedAt;
}
