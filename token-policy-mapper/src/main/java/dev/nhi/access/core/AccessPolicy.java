package dev.nhi.access.core;

import dev.nhi.identity.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * One {@code nhi-access-policy} executor's configuration, parsed and validated once. Every key is
 * optional; an absent key restricts nothing. Lists are JSON arrays or comma-separated strings (the
 * admin console sends either). Invalid input fails naming the key, so it is refused when the profile
 * is saved and never reaches the token endpoint.
 */
public record AccessPolicy(
        Set<String> allowedScopes,
        Set<String> elevatedScopes,
        Duration maxTokenTtl,
        List<Cidr> sourceCidrs,
        List<TimeWindow> timeWindows,
        ZoneId timeZone,
        Set<String> allowedAuthMethods,
        Integer maxSecretAgeDays,
        boolean requireReviewCurrent,
        String fingerprint) {

    public static final String ALLOWED_SCOPES = "allowed-scopes";
    public static final String ELEVATED_SCOPES = "elevated-scopes";
    public static final String MAX_TOKEN_TTL = "max-token-ttl";
    public static final String SOURCE_CIDRS = "source-cidrs";
    public static final String TIME_WINDOWS = "time-windows";
    public static final String TIME_ZONE = "time-zone";
    public static final String ALLOWED_AUTH_METHODS = "allowed-auth-methods";
    public static final String MAX_SECRET_AGE_DAYS = "max-secret-age-days";
    public static final String REQUIRE_REVIEW_CURRENT = "require-review-current";
    public static final Set<String> KEYS = Set.of(ALLOWED_SCOPES, ELEVATED_SCOPES, MAX_TOKEN_TTL, SOURCE_CIDRS,
            TIME_WINDOWS, TIME_ZONE, ALLOWED_AUTH_METHODS, MAX_SECRET_AGE_DAYS, REQUIRE_REVIEW_CURRENT);
    /** Keycloak's client authenticators (the ids a client's "Client Authenticator" setting takes). */
    public static final Set<String> AUTH_METHODS = Set.of("client-secret", "client-jwt", "client-secret-jwt",
            "client-x509", "federated-jwt", "attestation-based");
    private static final long MAX_TTL_SECONDS = 86_400;
    /** No key set: restricts nothing. */
    public static final AccessPolicy UNRESTRICTED = parse(Map.of());
    private static final int MAX_CACHED = 4096;
    private static final Map<Map<String, ?>, AccessPolicy> CACHE = new ConcurrentHashMap<>();

    /**
     * {@link #parse}, remembered per distinct configuration: Keycloak sets an executor up on every
     * request, and parsing (CIDRs, windows, zone) costs several microseconds; a lookup, well under one.
     */
    public static AccessPolicy cached(Map<String, ?> config) {
        AccessPolicy policy = CACHE.get(config);
        if (policy == null) {
            policy = parse(config);
            if (CACHE.size() >= MAX_CACHED) {
                CACHE.clear();
            }
            CACHE.put(new HashMap<>(config), policy);
        }
        return policy;
    }

    /** @param config the executor's JSON configuration as a map; unknown keys are refused */
    public static AccessPolicy parse(Map<String, ?> config) {
        for (String key : config.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidInputException(key, "unknown key '" + key + "'; accepted: " + accepted(KEYS));
            }
        }
        Set<String> allowed = config.containsKey(ALLOWED_SCOPES) && !list(config, ALLOWED_SCOPES).isEmpty()
                ? scopes(config, ALLOWED_SCOPES) : null;
        Set<String> elevated = scopes(config, ELEVATED_SCOPES);
        for (String scope : elevated) {
            if (allowed != null && !allowed.contains(scope)) {
                allowed.add(scope);
            }
        }
        Set<String> methods = new LinkedHashSet<>(list(config, ALLOWED_AUTH_METHODS));
        for (String method : methods) {
            if (!AUTH_METHODS.contains(method)) {
                throw new InvalidInputException(ALLOWED_AUTH_METHODS, ALLOWED_AUTH_METHODS + ": unknown method '"
                        + method + "'; accepted: " + accepted(AUTH_METHODS));
            }
        }
        Integer ttl = integer(config, MAX_TOKEN_TTL, 1, MAX_TTL_SECONDS);
        List<TimeWindow> windows = parsed(config, TIME_WINDOWS, TimeWindow::parse);
        ZoneId zone = zone(config);
        return new AccessPolicy(
                allowed == null ? null : Set.copyOf(allowed),
                Set.copyOf(elevated),
                ttl == null ? null : Duration.ofSeconds(ttl),
                parsed(config, SOURCE_CIDRS, Cidr::parse),
                windows,
                zone,
                Set.copyOf(methods),
                integer(config, MAX_SECRET_AGE_DAYS, 1, 3650),
                bool(config, REQUIRE_REVIEW_CURRENT),
                fingerprint(config));
    }

    private static String accepted(Set<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }

    private static Set<String> scopes(Map<String, ?> config, String key) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : list(config, key)) {
            if (!scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
                throw new InvalidInputException(key, key + ": '" + scope + "' is not a valid OAuth scope name");
            }
            scopes.add(scope);
        }
        return scopes;
    }

    private static <T> List<T> parsed(Map<String, ?> config, String key, BiFunction<String, String, T> parser) {
        List<T> values = new ArrayList<>();
        for (String item : list(config, key)) {
            values.add(parser.apply(key, item));
        }
        return List.copyOf(values);
    }

    /**
     * A JSON array of strings (each item taken whole), or one string split on commas (or Keycloak's
     * {@code ##}); {@code time-windows} split on semicolons instead, since a window's days contain commas.
     * Blanks are ignored, and so are nulls: Keycloak's admin console sends {@code [null]} for a
     * multivalued field left empty.
     */
    static List<String> list(Map<String, ?> config, String key) {
        Object value = config.get(key);
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        Collection<?> raw = value instanceof Collection<?> c ? c
                : value instanceof String s ? List.of(s.split(key.equals(TIME_WINDOWS) ? ";|##" : ",|##")) : null;
        if (raw == null) {
            throw new InvalidInputException(key, key + " must be a list of strings or a comma-separated string");
        }
        for (Object item : raw) {
            if (item == null) {
                continue;
            }
            if (!(item instanceof String s)) {
                throw new InvalidInputException(key, key + " must contain only strings");
            }
            if (!s.isBlank()) {
                items.add(s.strip());
            }
        }
        return items;
    }

    private static Integer integer(Map<String, ?> config, String key, long min, long max) {
        Object value = config.get(key);
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        long n;
        try {
            n = value instanceof Number number && number.doubleValue() == number.longValue() ? number.longValue()
                    : Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, key + " must be a whole number");
        }
        if (n < min || n > max) {
            throw new InvalidInputException(key, key + " must be between " + min + " and " + max);
        }
        return (int) n;
    }

    private static boolean bool(Map<String, ?> config, String key) {
        Object value = config.get(key);
        if (value == null || value instanceof String s && s.isBlank()) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equalsIgnoreCase(String.valueOf(value)) || "false".equalsIgnoreCase(String.valueOf(value))) {
            return Boolean.parseBoolean(String.valueOf(value));
        }
        throw new InvalidInputException(key, key + " must be true or false");
    }

    private static ZoneId zone(Map<String, ?> config) {
        Object value = config.get(TIME_ZONE);
        if (value == null || String.valueOf(value).isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(String.valueOf(value).strip());
        } catch (DateTimeException e) {
            throw new InvalidInputException(TIME_ZONE, TIME_ZONE + ": '" + value + "' is not a time zone (e.g. Europe/Paris)");
        }
    }

    /** SHA-256 over the configuration with sorted keys: the same settings always give the same value. */
    private static String fingerprint(Map<String, ?> config) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(config).forEach((key, value) -> canonical.append(key).append('=')
                .append(value instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList())
                        : String.valueOf(value))
                .append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
