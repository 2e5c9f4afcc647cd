package dev.nhi.identity.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.Provenance;
import dev.nhi.identity.core.Records;
import dev.nhi.identity.core.SuspensionCause;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreInternalsTest {
    @Test
    void snapshotRoundTripsEveryField() {
        NhiRecord r = Records.active().ownerGroup("/team").environment("prod").delegatedById("bob")
                .provenance(new Provenance("terraform", "stack", "ci")).suspensionCause(SuspensionCause.ORPHANED)
                .lastReviewedAt(Records.T0.plusSeconds(1)).lastUsedAt(Records.T0.plusSeconds(2))
                .orphanedAt(Records.T0.plusSeconds(3)).version(7).build();
        assertThat(RecordMapping.fromSnapshot(RecordMapping.snapshot(r))).isEqualTo(r);
    }

    @Test
    void cacheServesUntilTheGenerationChangesOrTheEntryAges() {
        RecordCache cache = new RecordCache(10, 1_000);
        AtomicInteger loads = new AtomicInteger();
        Optional<NhiRecord> record = Optional.of(Records.active().build());
        cache.get("realm", "c", "g1", 0, () -> { loads.incrementAndGet(); return record; });
        cache.get("realm", "c", "g1", 999, () -> { loads.incrementAndGet(); return record; });
        assertThat(loads).hasValue(1);
        cache.get("realm", "c", "g2", 999, () -> { loads.incrementAndGet(); return record; });
        assertThat(loads).hasValue(2);
        cache.get("realm", "c", "g2", 999 + 1_000, () -> { loads.incrementAndGet(); return Optional.empty(); });
        assertThat(loads).hasValue(3);
        assertThat(cache.get("realm", "c", "g2", 2_000, Optional::empty)).isEmpty();
        cache.evictRealm("realm");
        assertThat(cache.size()).isZero();
    }

    @Test
    void usageKeepsTheLatestAndSurvivesAFailedFlush() {
        UsageBuffer usage = new UsageBuffer();
        Instant t1 = Records.T0;
        Instant t2 = t1.plusSeconds(5);
        usage.note("realm", "c", t2);
        usage.note("realm", "c", t1);
        assertThat(usage.peek("realm", "c")).isEqualTo(t2);
        Map<UsageBuffer.Key, Instant> taken = usage.drain();
        assertThat(taken).containsExactly(Map.entry(new UsageBuffer.Key("realm", "c"), t2));
        assertThat(usage.peek("realm", "c")).isNull();
        usage.note("realm", "c", t1);
        usage.restore(taken);
        assertThat(usage.peek("realm", "c")).isEqualTo(t2);
    }
}
