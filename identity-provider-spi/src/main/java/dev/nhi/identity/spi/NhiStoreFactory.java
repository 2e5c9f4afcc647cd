package dev.nhi.identity.spi;

import org.keycloak.provider.ProviderFactory;

public interface NhiStoreFactory extends ProviderFactory<NhiStore> {
}
