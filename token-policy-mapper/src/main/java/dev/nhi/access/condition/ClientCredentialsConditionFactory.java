package dev.nhi.access.condition;

import dev.nhi.identity.spi.StatelessProviderFactory;
import java.util.List;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.idm.ClientPolicyConditionConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyVote;
import org.keycloak.services.clientpolicy.context.ClientPolicyClientSessionContext;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProvider;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProviderFactory;

/**
 * Condition {@value #PROVIDER_ID}: selects client-credentials token requests, and refreshes of the tokens
 * they gave (a client whose {@code client_credentials.use_refresh_token} is on gets a refresh token), and
 * nothing else, with no configuration to get wrong. It abstains on the response event of a
 * client-credentials request: the lifetime cap is applied by the {@code nhi-token-lifetime} post-processor,
 * which spares Keycloak a second policy pass per token.
 */
@SuppressWarnings("rawtypes") // Keycloak declares these factories over the raw provider type
public final class ClientCredentialsConditionFactory implements ClientPolicyConditionProviderFactory,
        ClientPolicyConditionProvider<ClientPolicyConditionConfigurationRepresentation>,
        StatelessProviderFactory<ClientPolicyConditionProvider> {
    public static final String PROVIDER_ID = "nhi-client-credentials";

    @Override
    public ClientPolicyVote applyPolicy(ClientPolicyContext context) {
        return switch (context.getEvent()) {
            case SERVICE_ACCOUNT_TOKEN_REQUEST -> ClientPolicyVote.YES;
            case TOKEN_REFRESH_RESPONSE -> ofServiceAccount(((ClientPolicyClientSessionContext) context).getClientSession())
                    ? ClientPolicyVote.YES : ClientPolicyVote.ABSTAIN;
            default -> ClientPolicyVote.ABSTAIN;
        };
    }

    /** Whether the session is the client's own service account's: one that client credentials opened. */
    public static boolean ofServiceAccount(AuthenticatedClientSessionModel clientSession) {
        if (clientSession == null || clientSession.getUserSession() == null) {
            return false;
        }
        UserModel user = clientSession.getUserSession().getUser();
        return user != null && clientSession.getClient().getId().equals(user.getServiceAccountClientLink());
    }

    @Override
    public void setupConfiguration(ClientPolicyConditionConfigurationRepresentation config) {
    }

    @Override
    public Class<ClientPolicyConditionConfigurationRepresentation> getConditionConfigurationClass() {
        return ClientPolicyConditionConfigurationRepresentation.class;
    }

    @Override
    public boolean isNegativeLogic() {
        return false;
    }

    @Override
    public String getProviderId() {
        return PROVIDER_ID;
    }

    @Override
    public ClientPolicyConditionProvider<?> create(KeycloakSession session) {
        return this;
    }

    @Override
    public String getHelpText() {
        return "Selects OAuth 2.0 client-credentials token requests (machine identities), and refreshes of their"
                + " tokens.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    /** Both provider and factory: one close for both. */
    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
