package dev.nhi.evidence.ship;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a realm's evidence backlog is logged: while one of its sinks fails, once when that begins and then
 * every {@code interval}, so that an outage shows in the log how far the backlog has grown and how old it
 * is, without a line per drain.
 */
final class BacklogReports {
    private final long intervalNanos;
    /** Per realm, when its backlog was last logged during the current failure. */
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    BacklogReports(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Whether to log the realm's backlog now; {@code failing}: some sink of the realm fails. */
    boolean due(String realm, boolean failing, long nowNanos) {
        if (!failing) {
            lastLogged.remove(realm);
            return false;
        }
        Long last = lastLogged.get(realm);
        if (last != null && nowNanos - last < intervalNanos) {
            return false;
        }
        lastLogged.put(realm, nowNanos);
        return true;
    }
}
