package dev.nhi.identity.jpa;

import dev.nhi.identity.core.NhiKind;
import dev.nhi.identity.core.NhiRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The heap the token path's record cache holds, measured in the benchmark's JVM: the cache filled with
 * {@code entries} records shaped like the seeded ones (UUIDs, a client id, a purpose, timestamps). In
 * this package because the cache is the store's own, package-private class.
 */
public final class RecordCacheFootprint {
    private RecordCacheFootprint() {
    }

    /** Bytes of heap that a cache of {@code entries} records keeps reachable. */
    public static long bytes(int entries) {
        long before = usedAfterGc();
        RecordCache cache = new RecordCache(entries + 1, Duration.ofMinutes(5).toMillis());
        String realmId = UUID.randomUUID().toString();
        String generation = UUID.randomUUID().toString();
        Instant now = Instant.now();
        NhiKind[] kinds = NhiKind.values();
        for (int i = 0; i < entries; i++) {
            String clientUuid = UUID.randomUUID().toString();
            NhiRecord record = new NhiRecord.Builder().id(UUID.randomUUID().toString()).realmId(realmId)
                    .clientUuid(clientUuid).clientId(String.format("billing-%06d", i)).kind(kinds[i % kinds.length])
                    .ownerId(UUID.randomUUID().toString()).purpose("synthetic record " + i).environment("prod")
                    .createdAt(now.minusSeconds(i)).expiresAt(now.plusSeconds(86_400L + i))
                    .lastReviewedAt(now.minusSeconds(i)).lastUsedAt(now.minusSeconds(i)).version(1).build();
            cache.get(realmId, clientUuid, generation, now.toEpochMilli(), () -> Optional.of(record));
        }
        long after = usedAfterGc();
        Reference.reachabilityFence(cache);
        return after - before;
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
