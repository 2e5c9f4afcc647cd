package dev.nhi.access.executor;

import dev.nhi.access.core.AccessDecider;
import dev.nhi.access.core.Decision;
import dev.nhi.identity.core.Mode;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.RealmSettings;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenRequestContext;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenResponseContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

/**
 * Decides client-credentials requests at the token endpoint. The record comes from the store's
 * node-local cache, so a decision costs no database query; a denial in {@code enforce} mode becomes
 * the OAuth error response, in {@code audit} mode a log line and the token is issued.
 */
final class NhiAccessPolicyExecutor implements ClientPolicyExecutorProvider<ClientPolicyExecutorConfigurationRepresentation> {
    private static final Logger LOG = Logger.getLogger(NhiAccessPolicyExecutor.class);

    private final KeycloakSession session;

    NhiAccessPolicyExecutor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getProviderId() {
        return NhiAccessPolicyExecutorFactory.PROVIDER_ID;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        switch (context.getEvent()) {
            case SERVICE_ACCOUNT_TOKEN_REQUEST ->
                    decide(((ServiceAccountTokenRequestContext) context).getClientSession().getClient());
            case SERVICE_ACCOUNT_TOKEN_RESPONSE ->
                    noteUsage(((ServiceAccountTokenResponseContext) context).getClientSession().getClient());
            default -> {
                // only client-credentials requests are governed here
            }
        }
    }

    private void decide(ClientModel client) throws ClientPolicyException {
        RealmModel realm = client.getRealm();
        NhiSettings settings = RealmSettings.of(realm);
        if (settings.mode() == Mode.OFF) {
            return;
        }
        NhiRecord record = session.getProvider(NhiStore.class).cachedByClientUuid(realm, client.getId()).orElse(null);
        Decision decision = AccessDecider.decide(record, settings, Instant.now());
        if (decision.allowed()) {
            return;
        }
        String recordId = record == null ? "-" : record.id();
        if (settings.mode() == Mode.ENFORCE) {
            LOG.infof("realm=%s client=%s record=%s token denied: %s", realm.getName(), client.getClientId(),
                    recordId, decision.description());
            throw new ClientPolicyException(decision.code().oauthError(), decision.description());
        }
        LOG.warnf("realm=%s client=%s record=%s audit mode, token issued but would be denied: %s", realm.getName(),
                client.getClientId(), recordId, decision.description());
    }

    private void noteUsage(ClientModel client) {
        RealmModel realm = client.getRealm();
        if (RealmSettings.of(realm).mode() != Mode.OFF) {
            session.getProvider(NhiStore.class).noteUsage(realm, client.getId(), Instant.now());
        }
    }
}
