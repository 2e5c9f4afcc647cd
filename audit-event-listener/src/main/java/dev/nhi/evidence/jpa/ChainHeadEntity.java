package dev.nhi.evidence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Where a realm's chain stands: its last {@code seq} and hash, and the last record a checkpoint sealed. */
@Entity
@Table(name = "NHI_EVIDENCE_HEAD")
public class ChainHeadEntity {
    @Id
    @Column(name = "REALM_ID", length = 36, updatable = false)
    String realmId;
    @Column(name = "REALM", nullable = false)
    String realm;
    @Column(name = "SEQ", nullable = false)
    long seq;
    @Column(name = "HASH", length = 64, nullable = false)
    String hash;
    @Column(name = "SEALED_SEQ", nullable = false)
    long sealedSeq;
    @Column(name = "SEALED_AT", nullable = false)
    long sealedAt;
}
