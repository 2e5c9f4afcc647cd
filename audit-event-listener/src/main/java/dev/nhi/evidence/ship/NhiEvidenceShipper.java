package dev.nhi.evidence.ship;

import dev.nhi.evidence.core.Backoff;
import dev.nhi.evidence.jpa.EvidenceStore;
import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * removes them from Keycloak's database. A sink that fails keeps its records waiting, never dropped;
 * the next run retries. Runs off the request thread, so a slow sink never delays a token.
 */
public final class NhiEvidenceShipper implements ScheduledTask {
    /** The delivery log category: backlog, failures and recoveries of evidence shipping. */
    public static final Logger DELIVERY = Logger.getLogger("dev.nhi.evidence.delivery");
    private static final int BATCH = 500;
    /** Bounds one run: at most this many batches, then the next interval continues. */
    private static final int MAX_BATCHES = 40;
    private static final Duration RETRY_INITIAL = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
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

    /**
     * One drain: the first transaction also runs {@code beforeChaining} and, once the outbox is empty, lists
     * the realms with records to ship, so that an idle drain costs a single transaction.
     */
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

    @Override
    public void run(KeycloakSession ignored) {
        written.set(false);
        lastCheckNanos = System.nanoTime();
        int chained = 0;
        List<String> realms = new ArrayList<>();
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
                    // the outbox is drained
                    realms.addAll(store.realmsWithPending(shipped));
                    unsealed.set(store.anyUnsealed());
                    listed.set(true);
                }
            });
            chained += rows.get();
        }
        if (!listed.get()) {
            // the batch limit ended chaining: ship what is chained so far, the next drain goes on
            KeycloakModelUtils.runJobInTransaction(factory, s -> realms.addAll(new EvidenceStore(s)
                    .realmsWithPending(shipped)));
        }
        for (String realmId : realms) {
            Map<String, Long> trimmed = new HashMap<>();
            KeycloakModelUtils.runJobInTransaction(factory, s -> shipRealm(new EvidenceStore(s), realmId, trimmed));
            // once the trim has committed
            trimmed.forEach((realm, seq) -> shipped.merge(realm, seq, Math::max));
        }
        waiting = !listed.get() || !realms.isEmpty() || unsealed.get();
        if (chained > 0) {
            DELIVERY.debugf("chained %d evidence records", chained);
        }
    }

    private void shipRealm(EvidenceStore store, String realmId, Map<String, Long> trimmed) {
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            long from = trimmed.getOrDefault(realmId, shipped.getOrDefault(realmId, 0L));
            List<EvidenceStore.Chained> pending = store.pending(realmId, from, BATCH);
            if (pending.isEmpty()) {
                return;
            }
            String realm = pending.get(0).realm();
            long oldest = pending.get(0).seq();
            long newest = pending.get(pending.size() - 1).seq();
            long everywhere = Long.MAX_VALUE;
            for (Sink sink : sinks) {
                everywhere = Math.min(everywhere, shipTo(sink, realm, pending));
            }
            if (everywhere >= oldest) {
                store.trim(realmId, from, everywhere);
                trimmed.put(realmId, everywhere);
            }
            if (everywhere < newest || pending.size() < BATCH) {
                return;
            }
        }
    }

    /** Ships what one sink lacks of {@code pending}; answers the last {@code seq} it holds (or below the batch when it failed). */
    private long shipTo(Sink sink, String realm, List<EvidenceStore.Chained> pending) {
        String key = sink.name() + "/" + realm;
        Backoff backoff = backoffs.computeIfAbsent(key, k -> new Backoff(RETRY_INITIAL, RETRY_MAX,
                Math::random));
        if (!backoff.ready(Instant.now())) {
            return pending.get(0).seq() - 1;
        }
        try {
            long have = sink.lastSeq(realm);
            List<String> lines = new ArrayList<>();
            long first = -1;
            long last = have;
            for (EvidenceStore.Chained e : pending) {
                if (e.seq() <= have) {
                    continue;
                }
                if (e.seq() != last + 1 && have != 0) {
                    throw new IllegalStateException("the sink holds seq " + have + " but the next record waiting is "
                            + e.seq() + ", and the ones between are no longer in Keycloak's database");
                }
                if (first < 0) {
                    first = e.seq();
                }
                lines.add(e.record());
                last = e.seq();
            }
            if (!lines.isEmpty()) {
                sink.append(realm, first, lines);
                DELIVERY.debugf("realm=%s shipped seq %d..%d to the %s sink", realm, first, last, sink.name());
            }
            backoff.succeeded();
            if (failures.remove(key) != null) {
                DELIVERY.infof("realm=%s the %s sink recovered; shipped up to seq %d", realm, sink.name(), last);
            }
            return last;
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            Instant retry = backoff.failed(Instant.now());
            if (!message.equals(failures.put(key, message))) {
                DELIVERY.warnf("realm=%s the %s sink failed; its records wait in Keycloak's database (from seq %d),"
                        + " retried with backoff, next at %s: %s", realm, sink.name(), pending.get(0).seq(), retry,
                        message);
            }
            return pending.get(0).seq() - 1;
        }
    }

    /** Seals every realm's tail with a checkpoint and ships it: on shutdown. */
    public void sealAndShip() {
        run(null);
        KeycloakModelUtils.runJobInTransaction(factory, s -> new EvidenceStore(s).sealAll(keys, Instant.now()));
        run(null);
    }
}
