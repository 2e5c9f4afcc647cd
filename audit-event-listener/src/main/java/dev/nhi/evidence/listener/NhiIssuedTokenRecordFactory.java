package dev.nhi.evidence.listener;

import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorFactory;

/**
 * Token post-processor {@value #PROVIDER_ID} (Keycloak's internal {@code token-interceptor} SPI): hands a
 * client-credentials token's record to the writer while Keycloak signs the token, see {@link IssuedTokenRecord}.
 * It orders itself last, so that it records the token as every other post-processor left it.
 */
public final class NhiIssuedTokenRecordFactory implements TokenPostProcessorFactory {
    public static final String PROVIDER_ID = "nhi-evidence-token";

    private NhiEvidenceListenerFactory listener;

    @Override
    public TokenPostProcessor create(KeycloakSession session) {
        return new IssuedTokenRecord(session, listener);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        listener = (NhiEvidenceListenerFactory) factory.getProviderFactory(EventListenerProvider.class,
                NhiEvidenceListenerFactory.PROVIDER_ID);
    }

    @Override
    public int order() {
        return Integer.MIN_VALUE;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
