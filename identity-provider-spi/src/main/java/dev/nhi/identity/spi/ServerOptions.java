package dev.nhi.identity.spi;

import org.keycloak.Config;

/** Reads server-level provider options ({@code --spi-<spi>--<provider>--<key>}) with defaults and bounds. */
public final class ServerOptions {
    private ServerOptions() {
    }

    /**
     * @param option the option's full name for the error message, e.g. {@code spi-nhi-store--nhi-jpa--cache-ttl}
     * @throws IllegalArgumentException at start-up, naming the option and the accepted range
     */
    public static int bounded(Config.Scope scope, String key, String option, int defaultValue, int min, int max) {
        String raw = scope.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max
                + ", got '" + raw + "'");
    }
}
