package dev.nhi.identity.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One e-mail sent: its key is the realm, day, kind, subject and recipient, so that a second sweep of the
 * same day, on any node or after a restart, finds it and sends nothing.
 */
@Entity
@Table(name = "NHI_NOTIFICATION")
public class NotificationSentEntity {
    /** {@code realmId|day|kind|subjectId|recipientId}: one column keeps the key portable across databases. */
    @Id
    @Column(name = "ID", length = 200, updatable = false)
    String id;
    @Column(name = "REALM_ID", length = 36, nullable = false, updatable = false)
    String realmId;
    @Column(name = "SENT_DAY", length = 10, nullable = false, updatable = false)
    String sentDay;
    @Column(name = "SENT_AT", nullable = false, updatable = false)
    long sentAt;
}
