package dev.nhi.identity.spi;

import dev.nhi.identity.core.NhiSettings;
import java.util.List;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/**
 * One layer's part of {@code POST /nhi/setup}. Each layer contributes a step without the identity
 * layer knowing it; steps run in {@link #order()} and must be idempotent.
 */
public interface NhiSetupStep extends Provider {

    int order();

    /** Ensures what the layer needs in the realm; reports what it created and what was already there. */
    Report apply(RealmModel realm, NhiSettings settings);

    @Override
    default void close() {
    }

    record Report(String layer, List<String> created, List<String> present) {
    }
}
