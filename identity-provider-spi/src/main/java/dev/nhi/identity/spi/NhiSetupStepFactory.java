package dev.nhi.identity.spi;

import org.keycloak.provider.ProviderFactory;

public interface NhiSetupStepFactory extends ProviderFactory<NhiSetupStep> {
}
