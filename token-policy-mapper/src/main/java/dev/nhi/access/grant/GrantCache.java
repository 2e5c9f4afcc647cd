package dev.nhi.access.grant;

import dev.nhi.access.core.Grant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Node-local copy of each realm's approved grants for the token path, so a decision reads no table.
 * An entry is used while the realm's grant generation is unchanged (every grant write renews it, and
 * Keycloak's realm cache carries that to every node), and for at most {@code ttlMillis}.
 */
public final class GrantCache {
    private static final int MAX_REALMS = 1024;

    private record Entry(String generation, long loadedAtMillis, Map<String, List<Grant>> byClientUuid) {
    }

    private final Map<String, Entry> realms = new ConcurrentHashMap<>();
    private final long ttlMillis;

    public GrantCache(long ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    /** The grants of one client that were approved and unexpired when loaded; callers check expiry again. */
    public List<Grant> of(String realmId, String generation, String clientUuid, long nowMillis,
                          Supplier<List<Grant>> loadRealm) {
        Entry entry = realms.get(realmId);
        if (entry == null || !entry.generation().equals(generation) || nowMillis - entry.loadedAtMillis() >= ttlMillis) {
            entry = new Entry(generation, nowMillis,
                    loadRealm.get().stream().collect(Collectors.groupingBy(Grant::clientUuid)));
            if (realms.size() >= MAX_REALMS) {
                realms.clear();
            }
            realms.put(realmId, entry);
        }
        return entry.byClientUuid().getOrDefault(clientUuid, List.of());
    }

    public void evictRealm(String realmId) {
        realms.remove(realmId);
    }
}
