package dev.nhi.access.executor;

import dev.nhi.access.condition.ClientCredentialsConditionFactory;
import dev.nhi.access.core.AccessDecider;
import dev.nhi.access.core.AccessPolicy;
import dev.nhi.access.core.Cidr;
import dev.nhi.access.core.Decision;
import dev.nhi.access.core.DenialCode;
import dev.nhi.access.core.Evaluation;
import dev.nhi.access.core.Grant;
import dev.nhi.access.core.PolicyRules;
import dev.nhi.access.core.RuleOutcome;
import dev.nhi.access.grant.GrantCache;
import dev.nhi.access.grant.JpaGrants;
import dev.nhi.access.mapper.NhiTokenPolicyMapper;
import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.Mode;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.RealmSettings;
import dev.nhi.identity.spi.TokenFacts;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenRequestContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshResponseContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

/**
 * Decides client-credentials requests at the token endpoint: the identity record first, then this
 * profile's conditions and the JIT grant its elevated scopes need; an allowed request loses the default
 * scopes the policy does not allow, and the lifetime cap that {@link TokenLifetime} applies. Record and grants come
 * from node-local caches, so a decision costs no database query. A denial in {@code enforce} mode becomes
 * the OAuth error response; in {@code audit} mode a log line, and the token is issued unchanged.
 */
final class NhiAccessPolicyExecutor implements ClientPolicyExecutorProvider<NhiAccessPolicyConfiguration> {
    private static final Logger LOG = Logger.getLogger(NhiAccessPolicyExecutor.class);

    private final KeycloakSession session;
    private final GrantCache grants;
    private AccessPolicy policy = AccessPolicy.UNRESTRICTED;
    private String invalidConfiguration;

    NhiAccessPolicyExecutor(KeycloakSession session, GrantCache grants) {
        this.session = session;
        this.grants = grants;
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
            case TOKEN_REFRESH_RESPONSE -> {
                AuthenticatedClientSessionModel clientSession = ((TokenRefreshResponseContext) context).getClientSession();
                // another condition may select this profile for refreshes of users' sessions: those are not ours
                if (ClientCredentialsConditionFactory.ofServiceAccount(clientSession)) {
                    refuseRefresh(clientSession.getClient());
                }
            }
            default -> {
                // only client-credentials requests are governed here
            }
        }
    }

    /**
     * A refreshed token would reach the NHI without a decision, and keep coming after a suspension or a
     * policy change: the NHI asks for a new token instead. Refused in {@code enforce} mode, noted in
     * {@code audit} mode.
     */
    private void refuseRefresh(ClientModel client) throws ClientPolicyException {
        RealmModel realm = client.getRealm();
        NhiSettings settings = RealmSettings.of(realm);
        if (settings.mode() == Mode.OFF) {
            return;
        }
        NhiRecord record = session.getProvider(NhiStore.class).cachedByClientUuid(realm, client.getId()).orElse(null);
        Decision decision = Decision.deny(DenialCode.REFRESH_DENIED, "a client-credentials token is not refreshed;"
                + " request a new one with client credentials");
        refuse(realm, client, record == null ? "-" : record.id(), settings, decision, List.of(new RuleOutcome("refresh",
                "deny", decision.code().wire(), decision.message()).toMap()));
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
        Grant grant = null;
        if (decision.allowed()) {
            if (invalidConfiguration != null) {
                decision = Decision.deny(DenialCode.POLICY_INVALID, "the nhi-access-policy configuration is invalid: "
                        + invalidConfiguration);
            } else {
                Evaluation evaluation = PolicyRules.check(policy, RequestFacts.of(client, remoteAddress(), scope), record, settings,
                        activeGrants(realm, client, now), now);
                decision = evaluation.decision();
                grant = evaluation.grant();
            }
        }
        String recordId = record == null ? "-" : record.id();
        if (decision.allowed()) {
            decision = narrowScopes(realm, client, recordId, grant);
        }
        TokenLifetime.noteGoverned(clientSession);
        if (decision.allowed()) {
            notePolicy(clientSession, realm, grant);
            if (settings.mode() == Mode.ENFORCE) {
                TokenLifetime.noteCap(clientSession, PolicyRules.tokenCap(policy, record, settings,
                        grant == null ? null : grant.expiresAt()));
            }
            return;
        }
        refuse(realm, client, recordId, settings, decision, ruleOutcomes(client, scope, record, settings, now));
    }

    /** A denial: the OAuth error response in {@code enforce} mode, a log line and the evidence's note in {@code audit} mode. */
    private void refuse(RealmModel realm, ClientModel client, String recordId, NhiSettings settings, Decision decision,
                        List<Map<String, Object>> rules) throws ClientPolicyException {
        if (settings.mode() == Mode.ENFORCE) {
            LOG.infof("realm=%s client=%s record=%s token denied: %s", realm.getName(), client.getClientId(),
                    recordId, decision.description());
            TokenFacts.handOverDenial(client.getClientId(), Map.of(TokenFacts.POLICY,
                    ProfileNames.describe(realm, policy.fingerprint()), TokenFacts.RULES, rules));
            throw new ClientPolicyException(decision.code().oauthError(), decision.description());
        }
        LOG.warnf("realm=%s client=%s record=%s audit mode, token issued but would be denied: %s", realm.getName(),
                client.getClientId(), recordId, decision.description());
        Map<String, Object> facts = TokenFacts.of(session);
        if (facts.putIfAbsent(TokenFacts.WOULD_DENY, decision.description()) == null) {
            facts.put(TokenFacts.RULES, rules);
        }
    }

    /** Every rule's outcome, for the evidence of a refusal: computed only when refusing, never on the way to a token. */
    private List<Map<String, Object>> ruleOutcomes(ClientModel client, String scope, NhiRecord record,
                                                   NhiSettings settings, Instant now) {
        List<Map<String, Object>> rules = new ArrayList<>();
        Decision identity = AccessDecider.decide(record, settings, now);
        rules.add(new RuleOutcome("identity", identity.allowed() ? "pass" : "deny",
                identity.allowed() ? null : identity.code().wire(), identity.message()).toMap());
        if (invalidConfiguration != null) {
            rules.add(new RuleOutcome("configuration", "deny", DenialCode.POLICY_INVALID.wire(),
                    invalidConfiguration).toMap());
            return rules;
        }
        for (RuleOutcome rule : PolicyRules.explain(policy, RequestFacts.of(client, remoteAddress(), scope), record,
                settings, activeGrants(client.getRealm(), client, now), now).outcomes()) {
            rules.add(rule.toMap());
        }
        return rules;
    }

    /** Keycloak's own view of the client address: it honours X-Forwarded-For only under its proxy-headers option. */
    private InetAddress remoteAddress() {
        return Cidr.addressOrNull(session.getContext().getConnection().getRemoteAddr());
    }

    private List<Grant> activeGrants(RealmModel realm, ClientModel client, Instant now) {
        return grants.of(realm.getId(), JpaGrants.generation(realm), client.getId(), now.toEpochMilli(),
                () -> new JpaGrants(session).active(realm, now));
    }

    /** Removes default scopes the policy does not allow; only a policy that restricts scopes has any to remove. */
    private Decision narrowScopes(RealmModel realm, ClientModel client, String recordId, Grant grant) {
        if (policy.allowedScopes() == null && policy.elevatedScopes().isEmpty()) {
            return Decision.ALLOW;
        }
        try {
            List<String> removed = ScopeNarrowing.narrow(session, scope -> PolicyRules.mayCarry(policy, scope, grant));
            if (!removed.isEmpty()) {
                LOG.debugf("realm=%s client=%s record=%s default scopes %s removed by policy", realm.getName(),
                        client.getClientId(), recordId, removed);
            }
            return Decision.ALLOW;
        } catch (IllegalStateException e) {
            LOG.errorf("realm=%s client=%s record=%s cannot remove disallowed default scopes: %s", realm.getName(),
                    client.getClientId(), recordId, e.getMessage());
            return Decision.deny(DenialCode.SCOPE_DENIED, "the client has default scopes outside "
                    + AccessPolicy.ALLOWED_SCOPES + " that cannot be removed; remove them from its default client scopes");
        }
    }

    /** Leaves this policy's name and fingerprint, and the grant used, for the {@code nhi} claim and the evidence. */
    private void notePolicy(AuthenticatedClientSessionModel clientSession, RealmModel realm, Grant grant) {
        append(clientSession, NhiTokenPolicyMapper.POLICY_NOTE, ProfileNames.describe(realm, policy.fingerprint()));
        if (grant != null) {
            append(clientSession, NhiTokenPolicyMapper.GRANT_NOTE, grant.id());
        }
    }

    /** Several profiles may decide one request: their notes accumulate. */
    private static void append(AuthenticatedClientSessionModel clientSession, String note, String value) {
        String noted = clientSession.getNote(note);
        clientSession.setNote(note, noted == null ? value : noted + "," + value);
    }
}
