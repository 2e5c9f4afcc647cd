package dev.nhi.evidence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An evidence record written in the transaction of what it describes, not yet chained. The shipper
 * chains rows in {@link #ordinal} order and deletes them in the same transaction.
 */
@Entity
@Table(name = "NHI_EVIDENCE_OUTBOX")
public class OutboxEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ORDINAL", updatable = false)
    Long ordinal;
    @Column(name = "ID", length = 36, nullable = false, updatable = false)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false, updatable = false)
    String realmId;
    @Column(name = "REALM", nullable = false, updatable = false)
    String realm;
    /** The record's fields without its chain members, as JSON. */
    @Column(name = "FIELDS", length = 16000, nullable = false, updatable = false)
    String fields;
    /** When the record was written (epoch milliseconds), for the backlog's age. */
    @Column(name = "CREATED_AT", nullable = false, updatable = false)
    long createdAt;
}
