package dev.nhi.evidence.ship;

import dev.nhi.evidence.jpa.EvidenceEntity;
import dev.nhi.evidence.jpa.EvidenceStore;
import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

    private final KeycloakSessionFactory factory;
    private final KeyPair keys;
    private final FileSink sink;
    private final int checkpointRecords;
    private final Duration checkpointInterval;
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final KeycloakSessionTask beforeChaining;

    /** @param beforeChaining runs in its own transaction before each drain, to write records nothing else writes */
    public NhiEvidenceShipper(KeycloakSessionFactory factory, KeyPair keys, FileSink sink, int checkpointRecords,
                              Duration checkpointInterval, KeycloakSessionTask beforeChaining) {
        this.factory = factory;
        this.beforeChaining = beforeChaining;
        this.keys = keys;
        this.sink = sink;
        this.checkpointRecords = checkpointRecords;
        this.checkpointInterval = checkpointInterval;
    }

    @Override
    public void run(KeycloakSession ignored) {
        KeycloakModelUtils.runJobInTransaction(factory, beforeChaining);
        int chained = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            AtomicInteger rows = new AtomicInteger();
            KeycloakModelUtils.runJobInTransaction(factory, s -> rows.set(new EvidenceStore(s)
                    .chain(BATCH, keys, checkpointRecords, checkpointInterval.toMillis(), Instant.now())));
            chained += rows.get();
            if (rows.get() < BATCH) {
                break;
            }
        }
        ship();
        if (chained > 0) {
            DELIVERY.debugf("chained %d evidence records", chained);
        }
    }

    /** Appends what the sink lacks, realm by realm, and trims what it has. */
    private void ship() {
        List<String> realms = new ArrayList<>();
        KeycloakModelUtils.runJobInTransaction(factory, s -> realms.addAll(new EvidenceStore(s).realmsWithPending()));
        for (String realmId : realms) {
            try {
                KeycloakModelUtils.runJobInTransaction(factory, s -> shipRealm(new EvidenceStore(s), realmId));
                if (lastFailure.getAndSet(null) != null) {
                    DELIVERY.infof("file sink %s recovered; realm=%s shipped", sink.dir(), realmId);
                }
            } catch (RuntimeException e) {
                String message = e.getMessage();
                if (!String.valueOf(message).equals(lastFailure.getAndSet(message))) {
                    DELIVERY.warnf("file sink %s failed for realm=%s; records wait in the database and are retried: %s",
                            sink.dir(), realmId, message);
                }
            }
        }
    }

    private void shipRealm(EvidenceStore store, String realmId) {
        try {
            for (int batch = 0; batch < MAX_BATCHES; batch++) {
                List<EvidenceEntity> pending = store.pending(realmId, 0, BATCH);
                if (pending.isEmpty()) {
                    return;
                }
                String realm = pending.get(0).realm();
                long have = sink.lastSeq(realm);
                List<String> lines = new ArrayList<>();
                long first = -1;
                long last = have;
                for (EvidenceEntity e : pending) {
                    long seq = e.seq();
                    if (seq <= have) {
                        continue;
                    }
                    if (seq != last + 1) {
                        throw new IllegalStateException("realm " + realm + ": the sink has seq " + have
                                + " but the next record waiting is " + seq);
                    }
                    if (first < 0) {
                        first = seq;
                    }
                    lines.add(e.record());
                    last = seq;
                }
                sink.append(realm, first, lines);
                store.trim(realmId, last);
                DELIVERY.debugf("realm=%s shipped seq %d..%d to %s", realm, first, last, sink.dir());
                if (pending.size() < BATCH) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Seals every realm's tail with a checkpoint and ships it: on shutdown. */
    public void sealAndShip() {
        run(null);
        KeycloakModelUtils.runJobInTransaction(factory, s -> new EvidenceStore(s).sealAll(keys, Instant.now()));
        ship();
    }
}
