package dev.nhi.identity.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Type and size checks on JSON-shaped input ({@code Map<String, ?>} of String, Boolean, Number, Map). */
public final class Inputs {
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private Inputs() {
    }

    public static void rejectUnknown(Map<String, ?> input, Set<String> allowed) {
        for (String key : input.keySet()) {
            if (!allowed.contains(key)) {
                throw new InvalidInputException(key, "unknown field '" + key + "'; accepted: " + allowed);
            }
        }
    }

    /** A non-blank string of at most {@code maxLength} characters. */
    public static String required(Map<String, ?> input, String field, int maxLength) {
        String value = optional(input, field, maxLength);
        if (value == null) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }

    /** Null when absent or JSON null; otherwise a non-blank string of at most {@code maxLength} characters. */
    public static String optional(Map<String, ?> input, String field, int maxLength) {
        Object value = input.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new InvalidInputException(field, field + " must be a string");
        }
        String trimmed = s.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidInputException(field, field + " must not be empty");
        }
        if (trimmed.length() > maxLength) {
            throw new InvalidInputException(field, field + " must be at most " + maxLength + " characters");
        }
        return trimmed;
    }

    /** A whole-number query parameter, or the default when absent. */
    public static int queryInteger(String field, String value, int defaultValue) {
        long parsed = queryLong(field, value, defaultValue);
        if (parsed != (int) parsed) {
            throw new InvalidInputException(field, field + " must be a whole number below 2^31");
        }
        return (int) parsed;
    }

    /** A whole-number query parameter that may exceed an int, or the default when absent. */
    public static long queryLong(String field, String value, long defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, field + " must be a whole number");
        }
    }

    public static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, field + " must be an RFC 3339 UTC time such as 2027-01-31T00:00:00Z");
        }
    }

    public static String environment(String value) {
        if (value != null && !ENVIRONMENT.matcher(value).matches()) {
            throw new InvalidInputException("environment",
                    "environment must be lower-case letters, digits, '.', '_' or '-' (at most 64), e.g. prod");
        }
        return value;
    }

    /** A nested JSON object, or null when absent. */
    @SuppressWarnings("unchecked")
    public static Map<String, ?> object(Map<String, ?> input, String field) {
        Object value = input.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException(field, field + " must be an object");
        }
        return (Map<String, ?>) map;
    }
}
