package dev.nhi.identity.jpa;

import java.util.List;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Options of {@code --spi-nhi-store--nhi-jpa--<key>}. */
final class NhiStoreConfigProperties {
    static final String USAGE_FLUSH_INTERVAL = "usage-flush-interval";
    static final String CACHE_MAX_ENTRIES = "cache-max-entries";
    static final String CACHE_TTL = "cache-ttl";

    static final List<ProviderConfigProperty> ALL = ProviderConfigurationBuilder.create()
            .property().name(USAGE_FLUSH_INTERVAL).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(30)
            .helpText("Seconds between writes of coalesced last-use times (one write per client, not per token).").add()
            .property().name(CACHE_MAX_ENTRIES).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(200_000)
            .helpText("Most records kept in each node's token-path cache.").add()
            .property().name(CACHE_TTL).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(300)
            .helpText("Seconds a cached record is trusted at most; writes through the API invalidate it at once.").add()
            .build();

    private NhiStoreConfigProperties() {
    }
}
