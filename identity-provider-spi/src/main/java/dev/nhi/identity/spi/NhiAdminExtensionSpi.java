package dev.nhi.identity.spi;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** SPI {@code nhi-admin-extension}: sub-resources of {@code /admin/realms/{realm}/nhi} from other layers. */
public final class NhiAdminExtensionSpi implements Spi {
    @Override
    public boolean isInternal() {
        return true;
    }

    @Override
    public String getName() {
        return "nhi-admin-extension";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return NhiAdminExtension.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return NhiAdminExtensionFactory.class;
    }
}
