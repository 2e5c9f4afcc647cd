package dev.nhi.identity.spi;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** SPI {@code nhi-notification}: the sources of owner and approver e-mails. */
public final class NhiNotificationSpi implements Spi {
    @Override
    public boolean isInternal() {
        return true;
    }

    @Override
    public String getName() {
        return "nhi-notification";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return NhiNotificationSource.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return NhiNotificationSourceFactory.class;
    }
}
