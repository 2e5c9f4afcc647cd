package dev.nhi.access.executor;

import dev.nhi.access.grant.GrantCache;
import dev.nhi.identity.spi.StatelessProviderFactory;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

/** Client-policy executor {@value #PROVIDER_ID}: NHI decisions for client-credentials token requests. */
@SuppressWarnings("rawtypes") // Keycloak declares these factories over the raw provider type
public final class NhiAccessPolicyExecutorFactory implements ClientPolicyExecutorProviderFactory,
        StatelessProviderFactory<ClientPolicyExecutorProvider> {
    public static final String PROVIDER_ID = "nhi-access-policy";
    /** A safety net only: every grant change renews the realm's generation, which invalidates at once. */
    private static final long GRANT_CACHE_TTL_MILLIS = 60_000;

    private final GrantCache grants = new GrantCache(GRANT_CACHE_TTL_MILLIS);

    @Override
    public ClientPolicyExecutorProvider<?> create(KeycloakSession session) {
        return new NhiAccessPolicyExecutor(session, grants);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                grants.evictRealm(removed.getRealm().getId());
            }
        });
    }

    @Override
    public String getHelpText() {
        return "Non-human identity governance: refuses client-credentials tokens to machine identities that are"
                + " unregistered, expired, suspended, orphaned or decommissioned, or that fail this profile's"
                + " conditions, and caps the token's lifetime (per the realm's NHI mode).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return NhiAccessPolicyConfigProperties.ALL;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
