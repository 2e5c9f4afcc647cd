package dev.nhi.identity.jpa;

import dev.nhi.identity.core.NhiRecord;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Node-local cache of records for the token path, absent records included.
 *
 * <p>Cross-node invalidation rides on Keycloak's own realm cache: every write sets a new random
 * generation in a realm attribute, which Keycloak invalidates on every node. An entry is used only
 * while it carries the realm's current generation, and for at most {@code ttlMillis} as a safety net
 * against writes that bypass the store (a hand-edited database).
 */
final class RecordCache {
    static final String GENERATION_ATTRIBUTE = "nhi.cache.generation";

    private record Key(String realmId, String clientUuid) {
    }

    private record Entry(String generation, long loadedAtMillis, Optional<NhiRecord> record) {
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final long ttlMillis;

    RecordCache(int maxEntries, long ttlMillis) {
        this.maxEntries = maxEntries;
        this.ttlMillis = ttlMillis;
    }

    Optional<NhiRecord> get(String realmId, String clientUuid, String generation, long nowMillis,
                            Supplier<Optional<NhiRecord>> loader) {
        Key key = new Key(realmId, clientUuid);
        Entry entry = entries.get(key);
        if (entry != null && entry.generation().equals(generation) && nowMillis - entry.loadedAtMillis() < ttlMillis) {
            return entry.record();
        }
        Optional<NhiRecord> loaded = loader.get();
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry(generation, nowMillis, loaded));
        return loaded;
    }

    void evict(String realmId, String clientUuid) {
        entries.remove(new Key(realmId, clientUuid));
    }

    void evictRealm(String realmId) {
        entries.keySet().removeIf(k -> k.realmId().equals(realmId));
    }

    int size() {
        return entries.size();
    }
}
