package dev.nhi.access.grant;

import dev.nhi.access.core.Grant;
import dev.nhi.access.core.GrantState;
import dev.nhi.access.core.GrantStep;
import dev.nhi.identity.core.NotFoundException;
import dev.nhi.identity.core.StateConflictException;
import dev.nhi.identity.core.WireEnum;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** JIT grants in Keycloak's database, every query scoped to one realm. Writes renew the realm's grant generation. */
public final class JpaGrants {
    /** Realm attribute whose change tells every node's {@link GrantCache} to reload (Keycloak's realm cache carries it). */
    static final String GENERATION_ATTRIBUTE = "nhi.grants.generation";
    private static final Logger LOG = Logger.getLogger(JpaGrants.class);

    private final KeycloakSession session;
    private final EntityManager em;

    public JpaGrants(KeycloakSession session) {
        this.session = session;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** The realm's current grant generation, for {@link GrantCache}. */
    public static String generation(RealmModel realm) {
        return String.valueOf(realm.getAttribute(GENERATION_ATTRIBUTE));
    }

    public Grant create(RealmModel realm, Grant grant) {
        GrantEntity e = new GrantEntity();
        e.id = grant.id();
        e.realmId = realm.getId();
        e.recordId = grant.recordId();
        e.clientUuid = grant.clientUuid();
        e.clientId = grant.clientId();
        e.scopes = String.join(" ", grant.scopes());
        e.durationSeconds = grant.durationSeconds();
        e.reason = grant.reason();
        e.requestedById = grant.requested().actorId();
        e.requestedBy = grant.requested().actorName();
        e.requestedAt = grant.requested().at().toEpochMilli();
        apply(grant, e);
        em.persist(e);
        appendVersion(realm, grant, grant.requested());
        em.flush();
        log(realm, grant);
        session.getKeycloakSessionFactory().publish(new GrantChangedEvent(session, realm, null, grant,
                grant.requested()));
        return grant;
    }

    public Grant require(RealmModel realm, String id) {
        GrantEntity e = id == null || id.length() > 36 ? null : em.find(GrantEntity.class, id);
        if (e == null || !e.realmId.equals(realm.getId())) {
            throw new NotFoundException("no grant " + id + " in this realm");
        }
        return toGrant(e);
    }

    /** Stores the next version of a grant read earlier; refuses if someone changed it meanwhile. */
    public Grant update(RealmModel realm, Grant next, GrantStep step) {
        GrantEntity e = em.find(GrantEntity.class, next.id(), LockModeType.PESSIMISTIC_WRITE);
        if (e != null) {
            em.refresh(e, LockModeType.PESSIMISTIC_WRITE);
        }
        if (e == null || !e.realmId.equals(realm.getId())) {
            throw new NotFoundException("no grant " + next.id() + " in this realm");
        }
        if (e.version != next.version() - 1) {
            throw new StateConflictException("grant " + next.id() + " was changed meanwhile; read it again and retry");
        }
        Grant before = toGrant(e);
        apply(next, e);
        appendVersion(realm, next, step);
        log(realm, next);
        session.getKeycloakSessionFactory().publish(new GrantChangedEvent(session, realm, before, next, step));
        return next;
    }

    /**
     * A page of grants, newest first.
     *
     * @param state null for all; {@code approved} means approved and unexpired, {@code pending} pending and
     *              not lapsed, {@code expired} approved and over, or pending past {@code pendingExpiry}
     * @param requestedById null for all; else only grants this user requested
     */
    public List<Grant> list(RealmModel realm, GrantState state, String clientId, String requestedById, int first,
                            int max, Instant now, Duration pendingExpiry) {
        StringBuilder jpql = new StringBuilder("select e from GrantEntity e where e.realmId = :realm");
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("realm", realm.getId());
        if (clientId != null) {
            jpql.append(" and e.clientId = :clientId");
            parameters.put("clientId", clientId);
        }
        if (requestedById != null) {
            jpql.append(" and e.requestedById = :requestedBy");
            parameters.put("requestedBy", requestedById);
        }
        if (state == GrantState.APPROVED) {
            jpql.append(" and e.state = :approved and e.expiresAt > :now");
        } else if (state == GrantState.PENDING) {
            jpql.append(" and e.state = :pending and e.requestedAt > :lapsedBefore");
        } else if (state == GrantState.EXPIRED) {
            jpql.append(" and (e.state = :approved and e.expiresAt <= :now"
                    + " or e.state = :pending and e.requestedAt <= :lapsedBefore)");
        } else if (state != null) {
            jpql.append(" and e.state = :state");
            parameters.put("state", state.wire());
        }
        if (state == GrantState.APPROVED || state == GrantState.EXPIRED) {
            parameters.put("approved", GrantState.APPROVED.wire());
            parameters.put("now", now.toEpochMilli());
        }
        if (state == GrantState.PENDING || state == GrantState.EXPIRED) {
            parameters.put("pending", GrantState.PENDING.wire());
            parameters.put("lapsedBefore", now.minus(pendingExpiry).toEpochMilli());
        }
        TypedQuery<GrantEntity> query = em.createQuery(jpql.append(" order by e.requestedAt desc, e.id").toString(),
                GrantEntity.class);
        parameters.forEach(query::setParameter);
        return query.setFirstResult(first).setMaxResults(max).getResultStream().map(JpaGrants::toGrant).toList();
    }

    /** Grants approved or denied at or after {@code since}, newest first: their requesters are told. */
    public List<Grant> decidedSince(RealmModel realm, Instant since, int max) {
        return em.createQuery("select e from GrantEntity e where e.realmId = :realm and e.decidedAt >= :since"
                        + " order by e.decidedAt desc, e.id", GrantEntity.class)
                .setParameter("realm", realm.getId())
                .setParameter("since", since.toEpochMilli())
                .setMaxResults(max)
                .getResultStream().map(JpaGrants::toGrant).toList();
    }

    /** Approved, unexpired grants of the realm: what the token path needs. */
    public List<Grant> active(RealmModel realm, Instant now) {
        return em.createQuery("select e from GrantEntity e where e.realmId = :realm and e.state = :approved"
                        + " and e.expiresAt > :now", GrantEntity.class)
                .setParameter("realm", realm.getId())
                .setParameter("approved", GrantState.APPROVED.wire())
                .setParameter("now", now.toEpochMilli())
                .getResultStream().map(JpaGrants::toGrant).toList();
    }

    public List<GrantStep> history(RealmModel realm, String grantId) {
        return em.createQuery("select v from GrantVersionEntity v where v.realmId = :realm and v.grantId = :grant"
                        + " order by v.version", GrantVersionEntity.class)
                .setParameter("realm", realm.getId())
                .setParameter("grant", grantId)
                .getResultStream()
                .map(v -> new GrantStep(WireEnum.parse(GrantState.class, "state", v.state), v.actorId, v.actor,
                        v.comment, Instant.ofEpochMilli(v.changedAt)))
                .toList();
    }

    /** A realm is gone: its grants and their history go with it. */
    void deleteRealm(String realmId) {
        int versions = em.createQuery("delete from GrantVersionEntity v where v.realmId = :realm")
                .setParameter("realm", realmId).executeUpdate();
        int grants = em.createQuery("delete from GrantEntity e where e.realmId = :realm")
                .setParameter("realm", realmId).executeUpdate();
        LOG.infof("realm=%s removed: deleted %d NHI grants and %d grant versions", realmId, grants, versions);
    }

    private static void apply(Grant grant, GrantEntity e) {
        e.state = grant.state().wire();
        if (grant.decided() != null) {
            e.decidedById = grant.decided().actorId();
            e.decidedBy = grant.decided().actorName();
            e.decidedAt = grant.decided().at().toEpochMilli();
            e.decisionComment = grant.decided().comment();
        }
        if (grant.revoked() != null) {
            e.revokedById = grant.revoked().actorId();
            e.revokedBy = grant.revoked().actorName();
            e.revokedAt = grant.revoked().at().toEpochMilli();
            e.revokeComment = grant.revoked().comment();
        }
        e.expiresAt = grant.expiresAt() == null ? null : grant.expiresAt().toEpochMilli();
        e.version = grant.version();
    }

    private void appendVersion(RealmModel realm, Grant grant, GrantStep step) {
        GrantVersionEntity v = new GrantVersionEntity();
        v.id = UUID.randomUUID().toString();
        v.realmId = realm.getId();
        v.grantId = grant.id();
        v.version = grant.version();
        v.state = step.state().wire();
        v.actorId = step.actorId();
        v.actor = step.actorName();
        v.comment = step.comment();
        v.changedAt = step.at().toEpochMilli();
        em.persist(v);
        realm.setAttribute(GENERATION_ATTRIBUTE, UUID.randomUUID().toString());
    }

    private static void log(RealmModel realm, Grant grant) {
        LOG.infof("realm=%s client=%s record=%s grant=%s version=%d %s scopes=%s", realm.getName(), grant.clientId(),
                grant.recordId(), grant.id(), grant.version(), grant.state().wire(), grant.scopes());
    }

    private static Grant toGrant(GrantEntity e) {
        return new Grant(e.id, e.recordId, e.clientUuid, e.clientId,
                new TreeSet<>(Arrays.asList(e.scopes.split(" "))), e.durationSeconds, e.reason,
                WireEnum.parse(GrantState.class, "state", e.state),
                new GrantStep(GrantState.PENDING, e.requestedById, e.requestedBy, e.reason,
                        Instant.ofEpochMilli(e.requestedAt)),
                // only an approval sets an expiry
                e.decidedAt == null ? null : new GrantStep(e.expiresAt != null ? GrantState.APPROVED : GrantState.DENIED,
                        e.decidedById, e.decidedBy, e.decisionComment, Instant.ofEpochMilli(e.decidedAt)),
                e.revokedAt == null ? null : new GrantStep(GrantState.REVOKED, e.revokedById, e.revokedBy,
                        e.revokeComment, Instant.ofEpochMilli(e.revokedAt)),
                e.expiresAt == null ? null : Instant.ofEpochMilli(e.expiresAt), e.version);
    }
}
