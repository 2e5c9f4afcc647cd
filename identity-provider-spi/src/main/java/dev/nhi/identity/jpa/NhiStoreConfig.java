package dev.nhi.identity.jpa;

import static dev.nhi.identity.spi.ServerOptions.bounded;

import java.time.Duration;
import org.keycloak.Config;

/** Server-level options of the {@code nhi-jpa} store, validated when Keycloak starts. */
record NhiStoreConfig(Duration usageFlushInterval, int cacheMaxEntries, Duration cacheTtl) {
    private static final String PREFIX = "spi-nhi-store--nhi-jpa--";

    static NhiStoreConfig from(Config.Scope scope) {
        return new NhiStoreConfig(
                Duration.ofSeconds(bounded(scope, NhiStoreConfigProperties.USAGE_FLUSH_INTERVAL,
                        PREFIX + NhiStoreConfigProperties.USAGE_FLUSH_INTERVAL, 30, 1, 3600)),
                bounded(scope, NhiStoreConfigProperties.CACHE_MAX_ENTRIES,
                        PREFIX + NhiStoreConfigProperties.CACHE_MAX_ENTRIES, 200_000, 100, 10_000_000),
                Duration.ofSeconds(bounded(scope, NhiStoreConfigProperties.CACHE_TTL,
                        PREFIX + NhiStoreConfigProperties.CACHE_TTL, 300, 1, 86_400)));
    }
}
