package dev.nhi.identity.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A realm's governance settings. Immutable; {@link #merge} validates every field it is given and
 * returns a new value, so an invalid update changes nothing.
 */
public record NhiSettings(
        Mode mode,
        boolean requireRecord,
        int maxLifetimeDays,
        int reviewIntervalDays,
        int expiryWarningDays,
        int orphanGraceDays,
        int staleAfterDays,
        int defaultTokenTtlSeconds,
        int maxGrantDurationSeconds,
        int pendingGrantExpirySeconds) {

    public static final NhiSettings DEFAULTS = new NhiSettings(Mode.AUDIT, true, 365, 90, 14, 7, 90, 300, 3600,
            86_400);

    static final Set<String> FIELDS = Set.of("mode", "requireRecord", "maxLifetimeDays", "reviewIntervalDays",
            "expiryWarningDays", "orphanGraceDays", "staleAfterDays", "defaultTokenTtlSeconds",
            "maxGrantDurationSeconds", "pendingGrantExpirySeconds");

    public Duration maxLifetime() {
        return Duration.ofDays(maxLifetimeDays);
    }

    public Duration reviewInterval() {
        return Duration.ofDays(reviewIntervalDays);
    }

    public Duration expiryWarning() {
        return Duration.ofDays(expiryWarningDays);
    }

    public Duration orphanGrace() {
        return Duration.ofDays(orphanGraceDays);
    }

    public Duration staleAfter() {
        return Duration.ofDays(staleAfterDays);
    }

    /** How long a JIT grant request waits for its decision before it lapses. */
    public Duration pendingGrantExpiry() {
        return Duration.ofSeconds(pendingGrantExpirySeconds);
    }

    /**
     * Applies the given fields over this value. Values are the JSON types (String, Boolean, Number).
     *
     * @throws InvalidInputException naming the first unknown or invalid field
     */
    public NhiSettings merge(Map<String, ?> changes) {
        for (String key : changes.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new InvalidInputException(key, "unknown setting '" + key + "'");
            }
        }
        return new NhiSettings(
                changes.containsKey("mode") ? WireEnum.parse(Mode.class, "mode", text(changes, "mode")) : mode,
                changes.containsKey("requireRecord") ? bool(changes, "requireRecord") : requireRecord,
                integer(changes, "maxLifetimeDays", maxLifetimeDays, 1, 3650),
                integer(changes, "reviewIntervalDays", reviewIntervalDays, 1, 3650),
                integer(changes, "expiryWarningDays", expiryWarningDays, 0, 365),
                integer(changes, "orphanGraceDays", orphanGraceDays, 0, 365),
                integer(changes, "staleAfterDays", staleAfterDays, 1, 3650),
                integer(changes, "defaultTokenTtlSeconds", defaultTokenTtlSeconds, 1, 86_400),
                integer(changes, "maxGrantDurationSeconds", maxGrantDurationSeconds, 60, 86_400),
                integer(changes, "pendingGrantExpirySeconds", pendingGrantExpirySeconds, 60, 2_592_000));
    }

    /** The settings as JSON-ready values, in contract order. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("mode", mode.wire());
        map.put("requireRecord", requireRecord);
        map.put("maxLifetimeDays", maxLifetimeDays);
        map.put("reviewIntervalDays", reviewIntervalDays);
        map.put("expiryWarningDays", expiryWarningDays);
        map.put("orphanGraceDays", orphanGraceDays);
        map.put("staleAfterDays", staleAfterDays);
        map.put("defaultTokenTtlSeconds", defaultTokenTtlSeconds);
        map.put("maxGrantDurationSeconds", maxGrantDurationSeconds);
        map.put("pendingGrantExpirySeconds", pendingGrantExpirySeconds);
        return map;
    }

    private static String text(Map<String, ?> changes, String field) {
        if (changes.get(field) instanceof String s) {
            return s;
        }
        throw new InvalidInputException(field, field + " must be a string");
    }

    private static boolean bool(Map<String, ?> changes, String field) {
        if (changes.get(field) instanceof Boolean b) {
            return b;
        }
        throw new InvalidInputException(field, field + " must be true or false");
    }

    private static int integer(Map<String, ?> changes, String field, int current, int min, int max) {
        if (!changes.containsKey(field)) {
            return current;
        }
        Object value = changes.get(field);
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new InvalidInputException(field, field + " must be a whole number");
        }
        long n = ((Number) value).longValue();
        if (n < min || n > max) {
            throw new InvalidInputException(field, field + " must be between " + min + " and " + max);
        }
        return (int) n;
    }
}
