package dev.nhi.evidence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A chained record, kept until every sink has it. */
@Entity
@Table(name = "NHI_EVIDENCE")
@IdClass(EvidenceEntity.Key.class)
public class EvidenceEntity {
    @Id
    @Column(name = "REALM_ID", length = 36, updatable = false)
    String realmId;
    @Id
    @Column(name = "SEQ", updatable = false)
    long seq;
    @Column(name = "REALM", nullable = false, updatable = false)
    String realm;
    /** The complete record in canonical JSON: one line of the file sink. */
    @Column(name = "RECORD", length = 16000, nullable = false, updatable = false)
    String record;
    /** When the record's outbox row was written (epoch milliseconds), for the backlog's age. */
    @Column(name = "CREATED_AT", nullable = false, updatable = false)
    long createdAt;

    public String realm() {
        return realm;
    }

    public long seq() {
        return seq;
    }

    public String record() {
        return record;
    }

    public static class Key implements Serializable {
        String realmId;
        long seq;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.seq == seq && Objects.equals(k.realmId, realmId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(realmId, seq);
        }
    }
}
