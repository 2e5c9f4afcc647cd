package dev.nhi.identity.jpa;

import dev.nhi.identity.core.Change;
import dev.nhi.identity.core.ChangeType;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NhiStatus;
import dev.nhi.identity.core.RecordQuery;
import dev.nhi.identity.core.RecordVersion;
import dev.nhi.identity.core.StateConflictException;
import dev.nhi.identity.core.WireEnum;
import dev.nhi.identity.spi.NhiRecordChangedEvent;
import dev.nhi.identity.spi.NhiStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** {@link NhiStore} on Keycloak's own database, in Keycloak's transaction. Every query is scoped to the realm. */
final class JpaNhiStore implements NhiStore {
    private static final Logger LOG = Logger.getLogger(JpaNhiStore.class);
    private static final String ACTIVE = NhiStatus.ACTIVE.wire();
    private static final String EXPIRED = NhiStatus.EXPIRED.wire();
    private static final String DECOMMISSIONED = NhiStatus.DECOMMISSIONED.wire();

    private final KeycloakSession session;
    private final EntityManager em;
    private final RecordCache cache;
    private final UsageBuffer usage;
    /** Realms whose cache generation this session already renewed: one renewal per transaction suffices. */
    private final Set<String> renewedGenerations = new HashSet<>();

    JpaNhiStore(KeycloakSession session, RecordCache cache, UsageBuffer usage) {
        this.session = session;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        this.cache = cache;
        this.usage = usage;
    }

    @Override
    public Optional<NhiRecord> byClientId(RealmModel realm, String clientId) {
        // A deleted client's record stays (decommissioned); a live record for a new client of that name wins.
        return em.createQuery("select e from NhiRecordEntity e where e.realmId = :realm and e.clientId = :clientId"
                        + " order by case when e.status = :decommissioned then 1 else 0 end, e.createdAt desc",
                        NhiRecordEntity.class)
                .setParameter("realm", realm.getId())
                .setParameter("clientId", clientId)
                .setParameter("decommissioned", DECOMMISSIONED)
                .setMaxResults(1)
                .getResultStream().findFirst().map(this::withPendingUsage);
    }

    @Override
    public Optional<NhiRecord> byClientUuid(RealmModel realm, String clientUuid) {
        return entityByClientUuid(realm.getId(), clientUuid).map(this::withPendingUsage);
    }

    @Override
    public Optional<NhiRecord> cachedByClientUuid(RealmModel realm, String clientUuid) {
        String generation = String.valueOf(realm.getAttribute(RecordCache.GENERATION_ATTRIBUTE));
        return cache.get(realm.getId(), clientUuid, generation, System.currentTimeMillis(),
                () -> entityByClientUuid(realm.getId(), clientUuid).map(RecordMapping::toRecord));
    }

    @Override
    public RecordPage search(RealmModel realm, RecordQuery query, NhiSettings settings, Instant now) {
        CriteriaBuilder cb = em.getCriteriaBuilder();

        CriteriaQuery<NhiRecordEntity> select = cb.createQuery(NhiRecordEntity.class);
        Root<NhiRecordEntity> root = select.from(NhiRecordEntity.class);
        select.where(filters(cb, root, realm, query, settings, now))
                .orderBy(cb.asc(root.get("clientId")), cb.asc(root.get("id")));
        List<NhiRecord> records = em.createQuery(select)
                .setFirstResult(query.first())
                .setMaxResults(query.max())
                .getResultStream().map(this::withPendingUsage).toList();

        CriteriaQuery<Long> count = cb.createQuery(Long.class);
        Root<NhiRecordEntity> countRoot = count.from(NhiRecordEntity.class);
        count.select(cb.count(countRoot)).where(filters(cb, countRoot, realm, query, settings, now));
        return new RecordPage(records, em.createQuery(count).getSingleResult());
    }

    @Override
    public List<NhiRecord> ownedBy(RealmModel realm, String userId) {
        return em.createQuery("select e from NhiRecordEntity e where e.realmId = :realm and e.ownerId = :owner"
                        + " and e.status <> :decommissioned", NhiRecordEntity.class)
                .setParameter("realm", realm.getId())
                .setParameter("owner", userId)
                .setParameter("decommissioned", DECOMMISSIONED)
                .getResultStream().map(RecordMapping::toRecord).toList();
    }

    @Override
    public List<NhiRecord> awaitingTransition(RealmModel realm, NhiSettings settings, Instant now, int limit) {
        return em.createQuery("select e from NhiRecordEntity e where e.realmId = :realm and e.status = :active"
                        + " and (e.expiresAt <= :now or e.orphanedAt <= :orphanCutoff) order by e.expiresAt",
                        NhiRecordEntity.class)
                .setParameter("realm", realm.getId())
                .setParameter("active", ACTIVE)
                .setParameter("now", now.toEpochMilli())
                .setParameter("orphanCutoff", now.minus(settings.orphanGrace()).toEpochMilli())
                .setMaxResults(limit)
                .getResultStream().map(RecordMapping::toRecord).toList();
    }

    @Override
    public List<String> ownersOfLiveRecords(RealmModel realm) {
        return em.createQuery("select distinct e.ownerId from NhiRecordEntity e where e.realmId = :realm"
                        + " and e.status <> :decommissioned and e.orphanedAt is null", String.class)
                .setParameter("realm", realm.getId())
                .setParameter("decommissioned", DECOMMISSIONED)
                .getResultList();
    }

    @Override
    public NhiRecord create(RealmModel realm, NhiRecord record, Change change) {
        requireRealm(realm, record);
        NhiRecord first = record.toBuilder().version(1).build();
        NhiRecordEntity entity = new NhiRecordEntity();
        RecordMapping.apply(first, entity);
        em.persist(entity);
        appendVersion(first, change);
        renewGeneration(realm, first.clientUuid());
        em.flush();
        LOG.debugf("realm=%s client=%s record=%s registered by %s", realm.getName(), first.clientId(), first.id(),
                change.actorName());
        session.getKeycloakSessionFactory().publish(new NhiRecordChangedEvent(session, realm, null, first, change));
        return first;
    }

    @Override
    public NhiRecord update(RealmModel realm, NhiRecord changed, Change change) {
        requireRealm(realm, changed);
        NhiRecordEntity entity = em.find(NhiRecordEntity.class, changed.id());
        if (entity != null) {
            // Re-read under the row lock: an instance loaded earlier in this transaction may be stale.
            em.refresh(entity, LockModeType.PESSIMISTIC_WRITE);
        }
        if (entity == null || !entity.realmId.equals(realm.getId())) {
            throw new StateConflictException("record " + changed.id() + " no longer exists");
        }
        if (entity.version != changed.version()) {
            throw new StateConflictException("record " + changed.clientId() + " was changed meanwhile (version "
                    + entity.version + "); read it again and retry");
        }
        NhiRecord before = RecordMapping.toRecord(entity);
        NhiRecord next = changed.toBuilder().version(entity.version + 1).lastUsedAt(before.lastUsedAt()).build();
        RecordMapping.apply(next, entity);
        appendVersion(next, change);
        renewGeneration(realm, next.clientUuid());
        LOG.debugf("realm=%s client=%s record=%s version=%d %s by %s", realm.getName(), next.clientId(), next.id(),
                next.version(), change.type().wire(), change.actorName());
        session.getKeycloakSessionFactory().publish(new NhiRecordChangedEvent(session, realm, before, next, change));
        return next;
    }

    @Override
    public List<RecordVersion> history(RealmModel realm, String recordId) {
        return em.createQuery("select v from NhiRecordVersionEntity v where v.realmId = :realm"
                        + " and v.recordId = :record order by v.version", NhiRecordVersionEntity.class)
                .setParameter("realm", realm.getId())
                .setParameter("record", recordId)
                .getResultStream()
                .map(v -> new RecordVersion(v.version,
                        new Change(WireEnum.parse(ChangeType.class,
                                "change", v.changeType), v.changedById, v.changedBy, v.reason,
                                Instant.ofEpochMilli(v.changedAt)),
                        RecordMapping.fromSnapshot(v.snapshot)))
                .toList();
    }

    @Override
    public Map<NhiStatus, Long> countByStatus(RealmModel realm, Instant now) {
        Map<NhiStatus, Long> counts = new EnumMap<>(NhiStatus.class);
        for (NhiStatus status : NhiStatus.values()) {
            counts.put(status, count(realm, new RecordQuery(status, null, null, null, null, null, 0, 1),
                    NhiSettings.DEFAULTS, now));
        }
        return counts;
    }

    @Override
    public long[] expiringPerWeek(RealmModel realm, Instant now, int weeks) {
        long[] counts = new long[weeks];
        for (int week = 0; week < weeks; week++) {
            // One index range count per week (REALM_ID, STATUS, EXPIRES_AT).
            counts[week] = em.createQuery("select count(e) from NhiRecordEntity e where e.realmId = :realm"
                            + " and e.status = :active and e.expiresAt > :from and e.expiresAt <= :to", Long.class)
                    .setParameter("realm", realm.getId())
                    .setParameter("active", ACTIVE)
                    .setParameter("from", now.plus(Duration.ofDays(7L * week)).toEpochMilli())
                    .setParameter("to", now.plus(Duration.ofDays(7L * (week + 1))).toEpochMilli())
                    .getSingleResult();
        }
        return counts;
    }

    @Override
    public void noteUsage(RealmModel realm, String clientUuid, Instant at) {
        usage.note(realm.getId(), clientUuid, at.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Writes buffered last-use times, merging by maximum with what is stored. */
    int flushUsage(Map<UsageBuffer.Key, Instant> taken) {
        int updated = 0;
        for (Map.Entry<UsageBuffer.Key, Instant> e : taken.entrySet()) {
            long at = e.getValue().toEpochMilli();
            updated += em.createQuery("update NhiRecordEntity e set e.lastUsedAt = :at, e.activityAt = :at"
                            + " where e.realmId = :realm and e.clientUuid = :client"
                            + " and (e.lastUsedAt is null or e.lastUsedAt < :at)")
                    .setParameter("at", at)
                    .setParameter("realm", e.getKey().realmId())
                    .setParameter("client", e.getKey().clientUuid())
                    .executeUpdate();
        }
        return updated;
    }

    /** A realm is gone: its records and their history go with it. */
    void deleteRealm(String realmId) {
        int versions = em.createQuery("delete from NhiRecordVersionEntity v where v.realmId = :realm")
                .setParameter("realm", realmId).executeUpdate();
        int records = em.createQuery("delete from NhiRecordEntity e where e.realmId = :realm")
                .setParameter("realm", realmId).executeUpdate();
        cache.evictRealm(realmId);
        LOG.infof("realm=%s removed: deleted %d NHI records and %d versions", realmId, records, versions);
    }

    @Override
    public void close() {
    }

    private long count(RealmModel realm, RecordQuery query, NhiSettings settings, Instant now) {
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<Long> count = cb.createQuery(Long.class);
        Root<NhiRecordEntity> root = count.from(NhiRecordEntity.class);
        count.select(cb.count(root)).where(filters(cb, root, realm, query, settings, now));
        return em.createQuery(count).getSingleResult();
    }

    private Predicate[] filters(CriteriaBuilder cb, Root<NhiRecordEntity> e, RealmModel realm, RecordQuery q,
                                NhiSettings settings, Instant now) {
        long nowMillis = now.toEpochMilli();
        List<Predicate> where = new ArrayList<>();
        where.add(cb.equal(e.get("realmId"), realm.getId()));
        if (q.status() != null) {
            where.add(switch (q.status()) {
                case ACTIVE -> cb.and(cb.equal(e.get("status"), ACTIVE), cb.gt(e.get("expiresAt"), nowMillis));
                case EXPIRED -> cb.or(cb.equal(e.get("status"), EXPIRED),
                        cb.and(cb.equal(e.get("status"), ACTIVE), cb.le(e.get("expiresAt"), nowMillis)));
                default -> cb.equal(e.get("status"), q.status().wire());
            });
        }
        if (q.ownerId() != null) {
            where.add(cb.equal(e.get("ownerId"), q.ownerId()));
        }
        if (q.kind() != null) {
            where.add(cb.equal(e.get("kind"), q.kind().wire()));
        }
        if (q.environment() != null) {
            where.add(cb.equal(e.get("environment"), q.environment()));
        }
        if (q.flag() != null) {
            // The same rules as Lifecycle.flags, as predicates, so that a flag filter is exact and indexed.
            Predicate live = cb.notEqual(e.get("status"), DECOMMISSIONED);
            where.add(switch (q.flag()) {
                case EXPIRING -> cb.and(cb.equal(e.get("status"), ACTIVE), cb.gt(e.get("expiresAt"), nowMillis),
                        cb.le(e.get("expiresAt"), now.plus(settings.expiryWarning()).toEpochMilli()));
                case ORPHANED -> cb.and(live, cb.isNotNull(e.get("orphanedAt")));
                case STALE -> cb.and(live, cb.le(e.get("activityAt"), now.minus(settings.staleAfter()).toEpochMilli()));
                case REVIEW_OVERDUE -> cb.and(live,
                        cb.le(e.get("reviewBaseAt"), now.minus(settings.reviewInterval()).toEpochMilli()));
            });
        }
        if (q.search() != null && !q.search().isBlank()) {
            String pattern = "%" + q.search().toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            where.add(cb.or(cb.like(cb.lower(e.get("clientId")), pattern, '\\'),
                    cb.like(cb.lower(e.get("purpose")), pattern, '\\')));
        }
        return where.toArray(Predicate[]::new);
    }

    private Optional<NhiRecordEntity> entityByClientUuid(String realmId, String clientUuid) {
        return em.createQuery("select e from NhiRecordEntity e where e.realmId = :realm and e.clientUuid = :client",
                        NhiRecordEntity.class)
                .setParameter("realm", realmId)
                .setParameter("client", clientUuid)
                .getResultStream().findFirst();
    }

    private NhiRecord withPendingUsage(NhiRecordEntity entity) {
        NhiRecord record = RecordMapping.toRecord(entity);
        Instant pending = usage.peek(record.realmId(), record.clientUuid());
        if (pending != null && (record.lastUsedAt() == null || pending.isAfter(record.lastUsedAt()))) {
            return record.toBuilder().lastUsedAt(pending).build();
        }
        return record;
    }

    private void appendVersion(NhiRecord record, Change change) {
        NhiRecordVersionEntity v = new NhiRecordVersionEntity();
        v.id = UUID.randomUUID().toString();
        v.realmId = record.realmId();
        v.recordId = record.id();
        v.version = record.version();
        v.changedAt = change.at().toEpochMilli();
        v.changedById = change.actorId();
        v.changedBy = change.actorName();
        v.changeType = change.type().wire();
        v.reason = change.reason();
        v.snapshot = RecordMapping.snapshot(record);
        em.persist(v);
    }

    private void renewGeneration(RealmModel realm, String clientUuid) {
        cache.evict(realm.getId(), clientUuid);
        if (renewedGenerations.add(realm.getId())) {
            realm.setAttribute(RecordCache.GENERATION_ATTRIBUTE, UUID.randomUUID().toString());
        }
    }

    private static void requireRealm(RealmModel realm, NhiRecord record) {
        if (!realm.getId().equals(record.realmId())) {
            throw new IllegalArgumentException("record " + record.id() + " belongs to another realm");
        }
    }
}
