package dev.nhi.identity.jpa;

import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Which notifications a realm was sent on a day (UTC); every query is scoped to the realm. */
public final class NotificationLog {
    /** Rows older than this are trimmed: they only ever prevent a resend on their own day. */
    private static final int KEEP_DAYS = 7;
    private final EntityManager em;

    public NotificationLog(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public static String day(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    }

    public static String key(String realmId, String day, String kind, String subjectId, String recipientId) {
        return String.join("|", realmId, day, kind, subjectId, recipientId);
    }

    /** The keys sent in the realm on {@code day}. */
    public Set<String> sentOn(String realmId, String day) {
        return new HashSet<>(em.createQuery("select e.id from NotificationSentEntity e where e.realmId = :realm"
                        + " and e.sentDay = :day", String.class)
                .setParameter("realm", realmId).setParameter("day", day).getResultList());
    }

    /**
     * Claims a key in the caller's transaction and flushes, so that a concurrent claim of the same key, on
     * another node, waits for this transaction and then fails on the primary key.
     */
    public void claim(String key, String realmId, String day, Instant now) {
        NotificationSentEntity sent = new NotificationSentEntity();
        sent.id = key;
        sent.realmId = realmId;
        sent.sentDay = day;
        sent.sentAt = now.toEpochMilli();
        em.persist(sent);
        em.flush();
    }

    public int trim(String realmId, Instant now) {
        return em.createQuery("delete from NotificationSentEntity e where e.realmId = :realm and e.sentAt < :before")
                .setParameter("realm", realmId)
                .setParameter("before", now.minus(Duration.ofDays(KEEP_DAYS)).toEpochMilli())
                .executeUpdate();
    }

    int deleteRealm(String realmId) {
        return em.createQuery("delete from NotificationSentEntity e where e.realmId = :realm")
                .setParameter("realm", realmId).executeUpdate();
    }
}
