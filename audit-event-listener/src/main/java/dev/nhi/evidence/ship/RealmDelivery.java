package dev.nhi.evidence.ship;

import dev.nhi.evidence.jpa.EvidenceStore.Chained;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One drain's delivery of one realm's chained records to every sink, batch by batch, trimming what all of
 * them hold. Each sink goes as far as it can: a sink that fails, or waits out its backoff, stays where it is,
 * and the others go on, reading from where the slowest of them stands. So one sink down neither slows the
 * others nor makes each drain read the whole backlog again.
 */
final class RealmDelivery {
    /** Where one realm's chained records wait in Keycloak's database. */
    interface Waiting {
        /** Up to {@code limit} records after {@code seq}, in order. */
        List<Chained> after(long seq, int limit);

        /** Every sink holds the records after {@code after} up to {@code upTo}: they leave. */
        void trim(long after, long upTo);
    }

    /** Each sink's backoff and what is logged of it. */
    interface Health {
        /** Whether the sink is to be tried now (false while it backs off). */
        boolean ready(Sink sink, String realm);

        void succeeded(Sink sink, String realm, long seq);

        /** The sink failed; its records wait from {@code from}. */
        void failed(Sink sink, String realm, long from, Exception e);
    }

    private RealmDelivery() {
    }

    /**
     * Delivers at most {@code maxBatches} batches of {@code batchSize} records.
     *
     * @param trimmed the seq up to which the realm's records have left Keycloak's database
     * @return the seq trimmed up to afterwards
     */
    static long deliver(String realm, long trimmed, List<Sink> sinks, Waiting waiting, Health health, int batchSize,
                        int maxBatches) {
        Map<Sink, Long> held = new LinkedHashMap<>();
        for (Sink sink : sinks) {
            if (health.ready(sink, realm)) {
                try {
                    held.put(sink, sink.lastSeq(realm));
                } catch (Exception e) {
                    health.failed(sink, realm, trimmed + 1, e);
                }
            }
        }
        Set<Sink> shipping = new LinkedHashSet<>(held.keySet());
        if (shipping.isEmpty()) {
            return trimmed;
        }
        // records every sink holds already (a crash came between their delivery and the trim)
        trimmed = trim(waiting, trimmed, held, sinks.size());
        long readFrom = Math.max(trimmed, Collections.min(held.values()));
        for (int batch = 0; batch < maxBatches; batch++) {
            List<Chained> pending = waiting.after(readFrom, batchSize);
            if (pending.isEmpty()) {
                break;
            }
            long newest = pending.get(pending.size() - 1).seq();
            for (var it = shipping.iterator(); it.hasNext(); ) {
                Sink sink = it.next();
                if (held.get(sink) < newest) {
                    try {
                        held.put(sink, append(sink, realm, held.get(sink), pending));
                        health.succeeded(sink, realm, newest);
                    } catch (Exception e) {
                        health.failed(sink, realm, held.get(sink) + 1, e);
                        it.remove();
                    }
                }
            }
            trimmed = trim(waiting, trimmed, held, sinks.size());
            if (shipping.isEmpty() || pending.size() < batchSize) {
                break;
            }
            readFrom = newest;
        }
        return trimmed;
    }

    /**
     * Trims what every sink holds; a sink not asked (backing off, or not answering) may hold no more than
     * what was trimmed already.
     */
    private static long trim(Waiting waiting, long trimmed, Map<Sink, Long> held, int sinks) {
        if (held.size() < sinks) {
            return trimmed;
        }
        long everywhere = Collections.min(held.values());
        if (everywhere <= trimmed) {
            return trimmed;
        }
        waiting.trim(trimmed, everywhere);
        return everywhere;
    }

    /** Appends the records of {@code pending} after {@code have}; answers the last seq the sink then holds. */
    private static long append(Sink sink, String realm, long have, List<Chained> pending) throws Exception {
        List<String> lines = new ArrayList<>();
        long first = -1;
        long last = have;
        for (Chained e : pending) {
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
        }
        return last;
    }
}
