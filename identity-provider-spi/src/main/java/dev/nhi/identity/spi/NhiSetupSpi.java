package dev.nhi.identity.spi;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** SPI {@code nhi-setup}: the steps of {@code POST /admin/realms/{realm}/nhi/setup}. */
public final class NhiSetupSpi implements Spi {
    @Override
    public boolean isInternal() {
        return true;
    }

    @Override
    public String getName() {
        return "nhi-setup";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return NhiSetupStep.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return NhiSetupStepFactory.class;
    }
}
