package dev.nhi.evidence.jpa;

import dev.nhi.evidence.core.CanonicalJson;
import dev.nhi.evidence.core.Chain;
import dev.nhi.evidence.core.Checkpoints;
import jakarta.persistence.EntityManager;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** The evidence tables of Keycloak's database, every query scoped to one realm except the shipper's drain. */
public final class EvidenceStore {
    private final EntityManager em;

    public EvidenceStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** Writes a record in the current transaction: it commits, or is lost, with what it describes. */
    public void outbox(RealmModel realm, Map<String, Object> fields) {
        OutboxEntity row = new OutboxEntity();
        row.id = (String) fields.get("id");
        row.realmId = realm.getId();
        row.realm = realm.getName();
        row.fields = CanonicalJson.write(fields);
        row.createdAt = System.currentTimeMillis();
        em.persist(row);
    }

    /**
     * Chains up to {@code limit} outbox rows in commit order, with a checkpoint wherever one is due, and
     * deletes them; in the caller's transaction.
     *
     * @return the number of outbox rows chained
     */
    @SuppressWarnings("unchecked")
    public int chain(int limit, KeyPair keys, int checkpointRecords, long checkpointMillis, Instant now) {
        List<OutboxEntity> rows = em.createQuery("select o from OutboxEntity o order by o.ordinal", OutboxEntity.class)
                .setMaxResults(limit).getResultList();
        Map<String, ChainHeadEntity> heads = new HashMap<>();
        Map<String, Chain> chains = new HashMap<>();
        for (OutboxEntity row : rows) {
            ChainHeadEntity head = heads.computeIfAbsent(row.realmId, id -> head(id, row.realm, now));
            Chain chain = chains.computeIfAbsent(row.realmId, id -> new Chain(head.realm, head.seq, head.hash));
            append(head, chain, (Map<String, Object>) CanonicalJson.parse(row.fields), row.createdAt);
            if (chain.seq() - head.sealedSeq >= checkpointRecords) {
                seal(head, chain, keys, now);
            }
            em.remove(row);
        }
        // Idle realms with unsealed records are sealed once the interval has passed.
        for (ChainHeadEntity head : em.createQuery("select h from ChainHeadEntity h where h.sealedSeq < h.seq"
                + " and h.sealedAt <= :due", ChainHeadEntity.class)
                .setParameter("due", now.toEpochMilli() - checkpointMillis).getResultList()) {
            ChainHeadEntity current = heads.computeIfAbsent(head.realmId, id -> head);
            Chain chain = chains.computeIfAbsent(current.realmId, id -> new Chain(current.realm, current.seq,
                    current.hash));
            if (chain.seq() > current.sealedSeq) {
                seal(current, chain, keys, now);
            }
        }
        for (Map.Entry<String, Chain> e : chains.entrySet()) {
            ChainHeadEntity head = heads.get(e.getKey());
            head.seq = e.getValue().seq();
            head.hash = e.getValue().head();
        }
        return rows.size();
    }

    /** Seals every realm's unsealed tail now (on shutdown), so that a verifier finds no unsealed tail. */
    public void sealAll(KeyPair keys, Instant now) {
        for (ChainHeadEntity head : em.createQuery("select h from ChainHeadEntity h where h.sealedSeq < h.seq",
                ChainHeadEntity.class).getResultList()) {
            Chain chain = new Chain(head.realm, head.seq, head.hash);
            seal(head, chain, keys, now);
            head.seq = chain.seq();
            head.hash = chain.head();
        }
    }

    /** The oldest chained records of one realm still waiting for a sink, in order. */
    public List<EvidenceEntity> pending(String realmId, int limit) {
        return em.createQuery("select e from EvidenceEntity e where e.realmId = :realm order by e.seq",
                        EvidenceEntity.class)
                .setParameter("realm", realmId).setMaxResults(limit).getResultList();
    }

    /** Realms with chained records awaiting a sink. */
    public List<String> realmsWithPending() {
        return em.createQuery("select distinct e.realmId from EvidenceEntity e", String.class).getResultList();
    }

    /** Every sink has the records up to {@code seq}: they leave Keycloak's database. */
    public int trim(String realmId, long seq) {
        return em.createQuery("delete from EvidenceEntity e where e.realmId = :realm and e.seq <= :seq")
                .setParameter("realm", realmId).setParameter("seq", seq).executeUpdate();
    }

    /**
     * One realm's backlog: records not yet chained and records not yet on every sink, with the time the
     * oldest of them was written (null when there is none).
     */
    public Backlog backlog(String realmId) {
        Object[] outbox = em.createQuery("select count(o), min(o.createdAt) from OutboxEntity o where o.realmId = :realm",
                Object[].class).setParameter("realm", realmId).getSingleResult();
        Object[] pending = em.createQuery("select count(e), min(e.createdAt) from EvidenceEntity e"
                + " where e.realmId = :realm", Object[].class).setParameter("realm", realmId).getSingleResult();
        Long oldest = min((Long) outbox[1], (Long) pending[1]);
        ChainHeadEntity head = em.find(ChainHeadEntity.class, realmId);
        return new Backlog((Long) outbox[0], (Long) pending[0], oldest == null ? null : Instant.ofEpochMilli(oldest),
                head == null ? 0 : head.seq, head == null ? 0 : head.sealedSeq);
    }

    /** What {@link #backlog} reports. */
    public record Backlog(long unchained, long unshipped, Instant oldestWrittenAt, long chainSeq, long sealedSeq) {
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    private ChainHeadEntity head(String realmId, String realm, Instant now) {
        ChainHeadEntity head = em.find(ChainHeadEntity.class, realmId);
        if (head == null) {
            head = new ChainHeadEntity();
            head.realmId = realmId;
            head.realm = realm;
            head.seq = 0;
            head.hash = Chain.GENESIS;
            head.sealedSeq = 0;
            head.sealedAt = now.toEpochMilli();
            em.persist(head);
        }
        return head;
    }

    private void append(ChainHeadEntity head, Chain chain, Map<String, Object> fields, long createdAt) {
        Map<String, Object> record = chain.append(fields);
        EvidenceEntity e = new EvidenceEntity();
        e.realmId = head.realmId;
        e.seq = chain.seq();
        e.realm = head.realm;
        e.record = CanonicalJson.write(record);
        e.createdAt = createdAt;
        em.persist(e);
    }

    private void seal(ChainHeadEntity head, Chain chain, KeyPair keys, Instant now) {
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("id", UUID.randomUUID().toString());
        checkpoint.put("time", now.toString());
        checkpoint.put("type", Checkpoints.TYPE);
        checkpoint.put("subject", Map.of("realm", head.realm));
        checkpoint.put("actor", Map.of("system", "nhi-evidence"));
        checkpoint.put("decision", null);
        checkpoint.put("details", Checkpoints.details(chain, keys.getPrivate(), keys.getPublic()));
        checkpoint.put("controls", List.of());
        append(head, chain, checkpoint, now.toEpochMilli());
        head.sealedSeq = chain.seq();
        head.sealedAt = now.toEpochMilli();
    }
}
