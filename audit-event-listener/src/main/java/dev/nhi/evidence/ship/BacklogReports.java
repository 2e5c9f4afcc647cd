package dev.nhi.evidence.ship;

import java.time.Duration;
import java.util.List;
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

    /**
     * The logged line: {@code unshipped} records not yet on every sink, {@code unchained} not yet chained, the
     * oldest of them waiting for {@code oldestSeconds} (null when none waits), the {@code failing} sinks by name.
     */
    static String line(String realm, long unshipped, long unchained, Long oldestSeconds, List<String> failing) {
        return "realm=" + realm + " evidence backlog: " + unshipped + " records not yet on every sink and " + unchained
                + " not yet chained" + (oldestSeconds == null ? "" : ", the oldest written " + oldestSeconds + " s ago")
                + "; waiting for the " + String.join(" and ", failing) + (failing.size() == 1 ? " sink" : " sinks")
                + ", nothing is dropped";
    }
}
