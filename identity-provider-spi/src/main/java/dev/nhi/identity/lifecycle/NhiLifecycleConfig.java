package dev.nhi.identity.lifecycle;

import static dev.nhi.identity.spi.ServerOptions.bounded;

import java.time.Duration;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Options of {@code --spi-events-listener--nhi-lifecycle--<key>}, validated when Keycloak starts. */
record NhiLifecycleConfig(Duration sweepInterval, int sweepBatch) {
    static final String SWEEP_INTERVAL = "sweep-interval";
    static final String SWEEP_BATCH = "sweep-batch";
    private static final String PREFIX = "spi-events-listener--nhi-lifecycle--";

    static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(SWEEP_INTERVAL).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(60)
            .helpText("Seconds between lifecycle sweeps (expiry, orphan suspension), on one node of the cluster.").add()
            .property().name(SWEEP_BATCH).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(500)
            .helpText("Most status transitions per realm and sweep; the rest wait for the next sweep.").add()
            .build();

    static NhiLifecycleConfig from(Config.Scope scope) {
        return new NhiLifecycleConfig(
                Duration.ofSeconds(bounded(scope, SWEEP_INTERVAL, PREFIX + SWEEP_INTERVAL, 60, 1, 86_400)),
                bounded(scope, SWEEP_BATCH, PREFIX + SWEEP_BATCH, 500, 1, 100_000));
    }
}
