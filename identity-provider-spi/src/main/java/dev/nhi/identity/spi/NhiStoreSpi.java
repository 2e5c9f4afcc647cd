package dev.nhi.identity.spi;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** SPI {@code nhi-store}: where identity records live. Options: {@code --spi-nhi-store--<provider>--<key>}. */
public final class NhiStoreSpi implements Spi {
    public static final String NAME = "nhi-store";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return NhiStore.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return NhiStoreFactory.class;
    }
}
