package dev.nhi.access.executor;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorFactory;

/**
 * Token post-processor {@value #PROVIDER_ID} (Keycloak's internal {@code token-interceptor} SPI): applies
 * the lifetime cap the {@code nhi-access-policy} executor decided, see {@link TokenLifetime}.
 */
public final class NhiTokenLifetimeFactory implements TokenPostProcessorFactory {
    public static final String PROVIDER_ID = "nhi-token-lifetime";

    @Override
    public TokenPostProcessor create(KeycloakSession session) {
        return new TokenLifetime(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
