package dev.nhi.access.executor;

import dev.nhi.access.core.AccessDecider;
import dev.nhi.access.core.AccessPolicy;
import dev.nhi.access.core.AccessRequest;
import dev.nhi.access.core.Cidr;
import dev.nhi.access.core.Decision;
import dev.nhi.access.core.DenialCode;
import dev.nhi.access.core.PolicyRules;
import dev.nhi.access.mapper.NhiTokenPolicyMapper;
import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.Mode;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.RealmSettings;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenRequestContext;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenResponseContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

/**
 * Decides client-credentials requests at the token endpoint: the identity record first, then this
 * profile's conditions; on the response, caps the token's lifetime. The record comes from the store's
 * node-local cache, so a decision costs no database query. A denial in {@code enforce} mode becomes the
 * OAuth error response; in {@code audit} mode a log line, and the token is issued unchanged.
 */
final class NhiAccessPolicyExecutor implements ClientPolicyExecutorProvider<NhiAccessPolicyConfiguration> {
    private static final Logger LOG = Logger.getLogger(NhiAccessPolicyExecutor.class);
    private static final String SECRET_CREATION_TIME = "client.secret.creation.time";
    private static final String DEFAULT_AUTH_METHOD = "client-secret";

    private final KeycloakSession session;
    private AccessPolicy policy = AccessPolicy.UNRESTRICTED;
    private String invalidConfiguration;

    NhiAccessPolicyExecutor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getProviderId() {
        return NhiAccessPolicyExecutorFactory.PROVIDER_ID;
    }

    @Override
    public Class<NhiAccessPolicyConfiguration> getExecutorConfigurationClass() {
        return NhiAccessPolicyConfiguration.class;
    }

    /** Never throws: a configuration stored around validation is reported at every request instead. */
    @Override
    public void setupConfiguration(NhiAccessPolicyConfiguration config) {
        try {
            policy = config == null ? policy : config.policy();
        } catch (InvalidInputException e) {
            invalidConfiguration = e.getMessage();
        }
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        switch (context.getEvent()) {
            case SERVICE_ACCOUNT_TOKEN_REQUEST -> {
                ServiceAccountTokenRequestContext request = (ServiceAccountTokenRequestContext) context;
                decide(request.getClientSession(), request.getParams() == null ? null
                        : request.getParams().getFirst(OAuth2Constants.SCOPE));
            }
            case SERVICE_ACCOUNT_TOKEN_RESPONSE -> {
                ServiceAccountTokenResponseContext response = (ServiceAccountTokenResponseContext) context;
                shape(response.getClientSession().getClient(), response.getAccessTokenResponseBuilder().getAccessToken());
            }
            default -> {
                // only client-credentials requests are governed here
            }
        }
    }

    private void decide(AuthenticatedClientSessionModel clientSession, String scope) throws ClientPolicyException {
        ClientModel client = clientSession.getClient();
        RealmModel realm = client.getRealm();
        NhiSettings settings = RealmSettings.of(realm);
        if (settings.mode() == Mode.OFF) {
            return;
        }
        Instant now = Instant.now();
        NhiRecord record = session.getProvider(NhiStore.class).cachedByClientUuid(realm, client.getId()).orElse(null);
        Decision decision = AccessDecider.decide(record, settings, now);
        if (decision.allowed()) {
            decision = invalidConfiguration != null
                    ? Decision.deny(DenialCode.POLICY_INVALID, "the nhi-access-policy configuration is invalid: "
                    + invalidConfiguration)
                    : PolicyRules.check(policy, request(client, scope), record, settings, now);
        }
        if (decision.allowed()) {
            notePolicy(clientSession, realm);
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

    /** Leaves this policy's name and fingerprint for the {@code nhi} claim; several profiles accumulate. */
    private void notePolicy(AuthenticatedClientSessionModel clientSession, RealmModel realm) {
        String mine = ProfileNames.describe(realm, policy.fingerprint());
        String noted = clientSession.getNote(NhiTokenPolicyMapper.POLICY_NOTE);
        clientSession.setNote(NhiTokenPolicyMapper.POLICY_NOTE, noted == null ? mine : noted + "," + mine);
    }

    /** Notes the use, and in enforce mode caps {@code exp}; Keycloak derives {@code expires_in} from it afterwards. */
    private void shape(ClientModel client, AccessToken token) {
        RealmModel realm = client.getRealm();
        NhiSettings settings = RealmSettings.of(realm);
        if (settings.mode() == Mode.OFF) {
            return;
        }
        Instant now = Instant.now();
        NhiStore store = session.getProvider(NhiStore.class);
        store.noteUsage(realm, client.getId(), now);
        if (settings.mode() != Mode.ENFORCE || token == null || token.getIat() == null) {
            return;
        }
        NhiRecord record = store.cachedByClientUuid(realm, client.getId()).orElse(null);
        long cap = token.getIat() + PolicyRules.tokenTtl(policy, record, settings, now).toSeconds();
        if (token.getExp() == null || token.getExp() > cap) {
            token.exp(cap);
        }
    }

    private AccessRequest request(ClientModel client, String scope) {
        String authMethod = client.getClientAuthenticatorType() != null ? client.getClientAuthenticatorType()
                : DEFAULT_AUTH_METHOD;
        String created = client.getAttribute(SECRET_CREATION_TIME);
        Instant secretCreatedAt = null;
        if (created != null && created.matches("\\d{1,12}")) {
            secretCreatedAt = Instant.ofEpochSecond(Long.parseLong(created));
        }
        // Keycloak's own view of the client address: it honours X-Forwarded-For only under its proxy-headers option.
        String source = session.getContext().getConnection().getRemoteAddr();
        return new AccessRequest(Cidr.addressOrNull(source), authMethod, secretCreatedAt, AccessRequest.scopes(scope));
    }
}
