package dev.nhi.evidence.ship;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.jpa.EvidenceStore.Chained;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RealmDeliveryTest {
    private static final String REALM = "acme";
    private static final int BATCH = 100;
    private static final int MAX_BATCHES = 40;

    /** A sink in memory that can be made to fail. */
    private static final class MemorySink implements Sink {
        final String name;
        final List<Long> seqs = new ArrayList<>();
        boolean down;
        /** Appends that succeed before the sink goes down. */
        int appendsLeft = Integer.MAX_VALUE;

        MemorySink(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long lastSeq(String realm) {
            return seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
        }

        @Override
        public void append(String realm, long firstSeq, List<String> lines) throws IOException {
            if (down || appendsLeft-- == 0) {
                down = true;
                throw new IOException(name + " is down");
            }
            for (int i = 0; i < lines.size(); i++) {
                seqs.add(firstSeq + i);
            }
        }
    }

    /** The chained records in Keycloak's database, counting what each drain reads. */
    private static final class Table implements RealmDelivery.Waiting {
        final TreeMap<Long, Chained> rows = new TreeMap<>();
        long trimmed;
        int read;

        void chain(int records) {
            long next = rows.isEmpty() ? trimmed + 1 : rows.lastKey() + 1;
            for (int i = 0; i < records; i++, next++) {
                rows.put(next, new Chained(next, REALM, "{\"seq\":" + next + "}"));
            }
        }

        @Override
        public List<Chained> after(long seq, int limit) {
            List<Chained> found = rows.tailMap(seq, false).values().stream().limit(limit).toList();
            read += found.size();
            return found;
        }

        @Override
        public void trim(long after, long upTo) {
            rows.headMap(upTo, true).clear();
            trimmed = upTo;
        }
    }

    /** Sinks in backoff are not ready; failures are noted. */
    private static final class Health implements RealmDelivery.Health {
        final Set<Sink> backingOff = new HashSet<>();
        final Map<String, String> failures = new TreeMap<>();

        @Override
        public boolean ready(Sink sink, String realm) {
            return !backingOff.contains(sink);
        }

        @Override
        public void succeeded(Sink sink, String realm, long seq) {
            failures.remove(sink.name());
        }

        @Override
        public void failed(Sink sink, String realm, long from, Exception e) {
            failures.put(sink.name(), "from " + from + ": " + e.getMessage());
        }
    }

    private final MemorySink file = new MemorySink("file");
    private final MemorySink jdbc = new MemorySink("jdbc");
    private final Table table = new Table();
    private final Health health = new Health();

    private long deliver(long trimmed) {
        return RealmDelivery.deliver(REALM, trimmed, List.of(file, jdbc), table, health, BATCH, MAX_BATCHES);
    }

    @Test
    void everySinkGetsEveryRecordInOrderAndTheyAreTrimmed() {
        table.chain(250);
        assertThat(deliver(0)).isEqualTo(250);
        assertThat(file.seqs).hasSize(250).isSorted().startsWith(1L).endsWith(250L);
        assertThat(jdbc.seqs).isEqualTo(file.seqs);
        assertThat(table.rows).isEmpty();
    }

    @Test
    void aSinkThatIsDownHoldsNobodyBackAndCatchesUpOnceItIsBack() {
        table.chain(1_000);
        jdbc.down = true;
        assertThat(deliver(0)).as("nothing leaves while a sink lacks it").isZero();
        assertThat(file.seqs).as("ten batches in one drain, though the jdbc sink failed at the first")
                .hasSize(1_000).isSorted().endsWith(1_000L);
        assertThat(jdbc.seqs).isEmpty();
        assertThat(health.failures).containsEntry("jdbc", "from 1: jdbc is down");

        jdbc.down = false;
        table.chain(50);
        assertThat(deliver(0)).isEqualTo(1_050);
        assertThat(jdbc.seqs).hasSize(1_050).isSorted().startsWith(1L).endsWith(1_050L);
        assertThat(file.seqs).hasSize(1_050).isSorted().endsWith(1_050L).doesNotHaveDuplicates();
        assertThat(health.failures).isEmpty();
        assertThat(table.rows).isEmpty();
    }

    @Test
    void whileASinkBacksOffADrainReadsOnlyWhatTheOthersLack() {
        table.chain(1_000);
        health.backingOff.add(jdbc);
        deliver(0);
        table.chain(30);
        table.read = 0;
        assertThat(deliver(0)).isZero();
        assertThat(table.read).as("rows read by the second drain").isEqualTo(30);
        assertThat(file.seqs).hasSize(1_030);
        assertThat(jdbc.seqs).isEmpty();

        health.backingOff.clear();
        assertThat(deliver(0)).isEqualTo(1_030);
        assertThat(jdbc.seqs).hasSize(1_030).isSorted();
    }

    @Test
    void aSinkThatFailsMidwayKeepsWhatItGotAndTheTrimStopsThere() {
        table.chain(300);
        deliver(0);
        table.chain(300);
        MemorySink flaky = new MemorySink("http");
        flaky.appendsLeft = 1;
        flaky.seqs.addAll(file.seqs);
        long trimmed = RealmDelivery.deliver(REALM, 300, List.of(file, flaky), table, health, BATCH, MAX_BATCHES);
        assertThat(trimmed).as("the http sink took one batch, then failed").isEqualTo(400);
        assertThat(file.seqs).hasSize(600);
        assertThat(flaky.seqs).hasSize(400);
        assertThat(table.rows.firstKey()).isEqualTo(401);
    }

    @Test
    void recordsEverySinkHoldsAlreadyAreTrimmedWithoutBeingReadAgain() {
        table.chain(120);
        for (long seq = 1; seq <= 120; seq++) {
            file.seqs.add(seq);
            jdbc.seqs.add(seq);
        }
        assertThat(deliver(0)).as("a crash came between the delivery and the trim").isEqualTo(120);
        assertThat(table.rows).isEmpty();
        assertThat(table.read).isZero();
        assertThat(file.seqs).hasSize(120);
    }

    @Test
    void aSinkThatLostRecordsAlreadyTrimmedFailsWithTheGap() {
        table.chain(200);
        deliver(0);
        table.chain(10);
        jdbc.seqs.subList(150, 200).clear();
        assertThat(deliver(200)).isEqualTo(200);
        assertThat(health.failures.get("jdbc")).isEqualTo("from 151: the sink holds seq 150 but the next record"
                + " waiting is 201, and the ones between are no longer in Keycloak's database");
        assertThat(file.seqs).hasSize(210);
    }
}
