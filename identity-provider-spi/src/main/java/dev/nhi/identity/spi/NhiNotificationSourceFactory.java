package dev.nhi.identity.spi;

import org.keycloak.provider.ProviderFactory;

public interface NhiNotificationSourceFactory extends ProviderFactory<NhiNotificationSource> {
}
