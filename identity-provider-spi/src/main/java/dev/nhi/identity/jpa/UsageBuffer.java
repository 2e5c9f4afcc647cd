package dev.nhi.identity.jpa;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last-use times noted on the token path, coalesced per client in memory until the next flush.
 * A flush merges with the stored value by maximum, so nodes flushing in any order never move it back.
 */
final class UsageBuffer {
    record Key(String realmId, String clientUuid) {
    }

    private final Map<Key, Instant> pending = new ConcurrentHashMap<>();

    void note(String realmId, String clientUuid, Instant at) {
        pending.merge(new Key(realmId, clientUuid), at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The unflushed time for a client, if any; lets reads show usage that has not reached the database yet. */
    Instant peek(String realmId, String clientUuid) {
        return pending.get(new Key(realmId, clientUuid));
    }

    /** Takes everything noted so far; entries noted meanwhile stay for the next drain. */
    Map<Key, Instant> drain() {
        Map<Key, Instant> taken = new HashMap<>();
        for (Key key : pending.keySet()) {
            Instant at = pending.remove(key);
            if (at != null) {
                taken.put(key, at);
            }
        }
        return taken;
    }

    /** Puts back what a failed flush took, so that nothing noted is lost. */
    void restore(Map<Key, Instant> taken) {
        taken.forEach((k, at) -> pending.merge(k, at, (a, b) -> a.isAfter(b) ? a : b));
    }
}
