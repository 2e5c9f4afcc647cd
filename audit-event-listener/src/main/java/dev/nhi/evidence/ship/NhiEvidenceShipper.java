package dev.nhi.evidence.ship;

import dev.nhi.evidence.core.Backoff;
import dev.nhi.evidence.jpa.EvidenceStore;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakSessionTask;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

/**
 * Drains the outbox on one node of the cluster at a time: chains rows in commit order (with signed
 * checkpoints), commits, then appends the chained records to the sink and, once they are on disk,
 * removes them from Keycloak's database once every sink holds them. A sink that fails keeps its records
 * waiting, never dropped, and the others go on; the next run retries it. Runs off the request thread,
 * so a slow sink never delays a token.
 */
public final class NhiEvidenceShipper implements ScheduledTask {
    /** The delivery log category: backlog, failures and recoveries of evidence shipping. */
    public static final Logger DELIVERY = Logger.getLogger("dev.nhi.evidence.delivery");
    private static final int BATCH = 500;
    /** Bounds one run: at most this many batches, then the next interval continues. */
    private static final int MAX_BATCHES = 40;
    private static final Duration RETRY_INITIAL = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** While a sink fails, a realm's backlog is logged this often. */
    private static final Duration BACKLOG_LOG_INTERVAL = Duration.ofSeconds(60);
    /** With nothing written here and nothing waiting, a drain looks at the database this often, for other nodes' records. */
    private static final long IDLE_CHECK_NANOS = Duration.ofSeconds(10).toNanos();

    private final KeycloakSessionFactory factory;
    private final KeyPair keys;
    private final List<Sink> sinks;
    private final int checkpointRecords;
    private final Duration checkpointInterval;
    /** Per sink and realm, the last failure reported, so that a failing sink is logged once and its recovery too. */
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    /** Per sink and realm: a failing sink is retried after an exponentially growing, jittered wait. */
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
    private final BacklogReports backlogReports = new BacklogReports(BACKLOG_LOG_INTERVAL);
    /** Each sink's backoff, and its failures and recoveries logged once each. */
    private final RealmDelivery.Health health = new RealmDelivery.Health() {
        @Override
        public boolean ready(Sink sink, String realm) {
            return backoff(sink, realm).ready(Instant.now());
        }

        @Override
        public void succeeded(Sink sink, String realm, long seq) {
            backoff(sink, realm).succeeded();
            DELIVERY.debugf("realm=%s shipped up to seq %d to the %s sink", realm, seq, sink.name());
            if (failures.remove(key(sink, realm)) != null) {
                DELIVERY.infof("realm=%s the %s sink recovered; shipped up to seq %d", realm, sink.name(), seq);
            }
        }

        @Override
        public void failed(Sink sink, String realm, long from, Exception e) {
            String message = String.valueOf(e.getMessage());
            Instant retry = backoff(sink, realm).failed(Instant.now());
            if (!message.equals(failures.put(key(sink, realm), message))) {
                DELIVERY.warnf("realm=%s the %s sink failed; its records wait in Keycloak's database (from seq %d),"
                        + " retried with backoff, next at %s: %s", realm, sink.name(), from, retry, message);
            }
        }
    };

    private final KeycloakSessionTask beforeChaining;
    /**
     * Per realm id, the seq up to which this node trimmed the chain after every sink had it: the next drain
     * reads from there. Another node's drain may have gone further; reading from lower costs only time.
     */
    private final Map<String, Long> shipped = new ConcurrentHashMap<>();
    private final AtomicBoolean written = new AtomicBoolean(true);
    /** The last drain left records unchained, unshipped or unsealed. */
    private volatile boolean waiting = true;
    private long lastCheckNanos;

    /** @param beforeChaining runs first in each drain's first transaction, to write records nothing else writes */
    public NhiEvidenceShipper(KeycloakSessionFactory factory, KeyPair keys, List<Sink> sinks, int checkpointRecords,
                              Duration checkpointInterval, KeycloakSessionTask beforeChaining) {
        this.factory = factory;
        this.beforeChaining = beforeChaining;
        this.keys = keys;
        this.sinks = List.copyOf(sinks);
        this.checkpointRecords = checkpointRecords;
        this.checkpointInterval = checkpointInterval;
    }

    /** This node wrote an outbox row: its next drain runs at once. */
    public void written() {
        written.set(true);
    }

    /**
     * Whether this node should take the cluster-wide drain now: it wrote evidence, the last drain left
     * records waiting, or {@link #IDLE_CHECK_NANOS} passed (for what other nodes wrote, and policy changes).
     * Checked before the cluster-wide claim, so that an idle node never takes the turn of a busy one.
     */
    public boolean due() {
        return written.get() || waiting || System.nanoTime() - lastCheckNanos >= IDLE_CHECK_NANOS;
    }

    /**
     * One drain: the first transaction also runs {@code beforeChaining} and, once the outbox is empty, lists
     * the realms with records to ship, so that an idle drain costs a single transaction.
     */
    @Override
    public void run(KeycloakSession ignored) {
        written.set(false);
        lastCheckNanos = System.nanoTime();
        int chained = 0;
        Map<String, String> realms = new TreeMap<>();
        AtomicBoolean listed = new AtomicBoolean();
        AtomicBoolean unsealed = new AtomicBoolean();
        for (int batch = 0; batch < MAX_BATCHES && !listed.get(); batch++) {
            boolean first = batch == 0;
            AtomicInteger rows = new AtomicInteger();
            KeycloakModelUtils.runJobInTransaction(factory, s -> {
                if (first) {
                    beforeChaining.run(s);
                }
                EvidenceStore store = new EvidenceStore(s);
                rows.set(store.chain(BATCH, keys, checkpointRecords, checkpointInterval.toMillis(), Instant.now()));
                if (rows.get() < BATCH) {
                    // the outbox is drained, or another drain took part of this batch: the next drain goes on
                    realms.putAll(store.realmsWithPending(shipped));
                    unsealed.set(store.anyUnsealed());
                    listed.set(true);
                }
            });
            chained += rows.get();
        }
        if (!listed.get()) {
            // the batch limit ended chaining: ship what is chained so far, the next drain goes on
            KeycloakModelUtils.runJobInTransaction(factory, s -> realms.putAll(new EvidenceStore(s)
                    .realmsWithPending(shipped)));
        }
        for (Map.Entry<String, String> realm : realms.entrySet()) {
            long trimmed = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                    s -> shipRealm(new EvidenceStore(s), realm.getKey(), realm.getValue()));
            // once the trim has committed
            shipped.merge(realm.getKey(), trimmed, Math::max);
        }
        waiting = !listed.get() || !realms.isEmpty() || unsealed.get();
        if (chained > 0) {
            DELIVERY.debugf("chained %d evidence records", chained);
        }
    }

    /** Failures and backoffs are kept per sink and realm. */
    private static String key(Sink sink, String realm) {
        return sink.name() + "/" + realm;
    }

    private Backoff backoff(Sink sink, String realm) {
        return backoffs.computeIfAbsent(key(sink, realm), k -> new Backoff(RETRY_INITIAL, RETRY_MAX,
                Math::random));
    }

    /** Delivers one realm's waiting records; answers the seq trimmed up to. */
    private long shipRealm(EvidenceStore store, String realmId, String realm) {
        RealmDelivery.Waiting waiting = new RealmDelivery.Waiting() {
            @Override
            public List<EvidenceStore.Chained> after(long seq, int limit) {
                return store.pending(realmId, seq, limit);
            }

            @Override
            public void trim(long after, long upTo) {
                store.trim(realmId, after, upTo);
            }
        };
        long trimmed = RealmDelivery.deliver(realm, shipped.getOrDefault(realmId, 0L), sinks, waiting, health, BATCH,
                MAX_BATCHES);
        reportBacklog(store, realmId, realm);
        return trimmed;
    }

    /** While a sink of the realm fails: how many records wait, and since when (see {@link BacklogReports}). */
    private void reportBacklog(EvidenceStore store, String realmId, String realm) {
        List<String> failing = sinks.stream().filter(sink -> failures.containsKey(key(sink, realm)))
                .map(Sink::name).toList();
        if (backlogReports.due(realm, !failing.isEmpty(), System.nanoTime())) {
            EvidenceStore.Backlog backlog = store.backlog(realmId);
            DELIVERY.warn(BacklogReports.line(realm, backlog.unshipped(), backlog.unchained(),
                    backlog.oldestWaitingSeconds(Instant.now()), failing));
        }
    }

    /** Seals every realm's tail with a checkpoint and ships it: on shutdown. */
    public void sealAndShip() {
        run(null);
        KeycloakModelUtils.runJobInTransaction(factory, s -> new EvidenceStore(s).sealAll(keys, Instant.now()));
        run(null);
    }
}
