package dev.nhi.access.setup;

import dev.nhi.identity.spi.StatelessProviderFactory;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nhi.access.condition.ClientCredentialsConditionFactory;
import dev.nhi.access.executor.NhiAccessPolicyExecutorFactory;
import dev.nhi.access.mapper.NhiTokenPolicyMapper;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.spi.NhiSetupStep;
import dev.nhi.identity.spi.NhiSetupStepFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.ClientPolicyManager;

/**
 * The access layer's setup: a client profile {@value #NAME} holding the {@code nhi-access-policy}
 * executor and a client policy {@value #NAME} that applies it to client-credentials requests. The
 * admin's other profiles and policies, and an existing {@value #NAME} profile's executor settings, are
 * left as they are.
 */
public final class AccessSetupStep implements NhiSetupStepFactory, StatelessProviderFactory<NhiSetupStep> {
    public static final String PROVIDER_ID = "nhi-access-setup";
    public static final String NAME = "nhi";

    @Override
    public NhiSetupStep create(KeycloakSession session) {
        return new Step(session.clientPolicy());
    }

    private record Step(ClientPolicyManager policies) implements NhiSetupStep {
        private static final String OPENID_CONNECT = "openid-connect";

        @Override
        public int order() {
            return 10;
        }

        @Override
        public Report apply(RealmModel realm, NhiSettings settings) {
            List<String> created = new ArrayList<>();
            List<String> present = new ArrayList<>();
            ensureClientScope(realm, created, present);
            try {
                ensureProfile(realm, created, present);
                ensurePolicy(realm, created, present);
            } catch (ClientPolicyException e) {
                throw new IllegalStateException("cannot set up client policies: " + e.getErrorDetail(), e);
            }
            return new Report("access", created, present);
        }

        /**
         * The client scope {@value #NAME} with the {@code nhi-token-policy} mapper, a realm default (so new
         * clients get it) and added to every existing service-account client. It stays out of the token's
         * {@code scope} claim.
         */
        private void ensureClientScope(RealmModel realm, List<String> created, List<String> present) {
            ClientScopeModel scope = realm.getClientScopesStream().filter(s -> NAME.equals(s.getName())).findFirst()
                    .orElse(null);
            if (scope == null) {
                scope = realm.addClientScope(NAME);
                scope.setProtocol(OPENID_CONNECT);
                scope.setDescription("Non-human identity claims (nhi-token-policy mapper)");
                scope.setIncludeInTokenScope(false);
                scope.setDisplayOnConsentScreen(false);
                created.add("client scope " + NAME);
            } else {
                present.add("client scope " + NAME);
            }
            if (scope.getProtocolMappersStream().noneMatch(m -> NhiTokenPolicyMapper.PROVIDER_ID.equals(m.getProtocolMapper()))) {
                ProtocolMapperModel mapper = new ProtocolMapperModel();
                mapper.setName(NhiTokenPolicyMapper.PROVIDER_ID);
                mapper.setProtocol(OPENID_CONNECT);
                mapper.setProtocolMapper(NhiTokenPolicyMapper.PROVIDER_ID);
                mapper.setConfig(new HashMap<>());
                scope.addProtocolMapper(mapper);
                created.add("mapper " + NhiTokenPolicyMapper.PROVIDER_ID);
            } else {
                present.add("mapper " + NhiTokenPolicyMapper.PROVIDER_ID);
            }
            String scopeId = scope.getId();
            if (realm.getDefaultClientScopesStream(true).noneMatch(s -> s.getId().equals(scopeId))) {
                realm.addDefaultClientScope(scope, true);
                created.add("realm default client scope " + NAME);
            }
            int added = 0;
            for (ClientModel client : realm.getClientsStream().filter(ClientModel::isServiceAccountsEnabled).toList()) {
                if (!client.getClientScopes(true).containsKey(NAME)) {
                    client.addClientScope(scope, true);
                    added++;
                }
            }
            if (added > 0) {
                created.add("client scope " + NAME + " on " + added + " existing service-account clients");
            }
        }

        private void ensureProfile(RealmModel realm, List<String> created, List<String> present)
                throws ClientPolicyException {
            ClientProfilesRepresentation all = policies.getClientProfiles(realm, false);
            List<ClientProfileRepresentation> profiles = new ArrayList<>(Objects.requireNonNullElse(all.getProfiles(), List.of()));
            ClientProfileRepresentation profile = profiles.stream().filter(p -> NAME.equals(p.getName())).findFirst()
                    .orElse(null);
            if (profile == null) {
                profile = new ClientProfileRepresentation();
                profile.setName(NAME);
                profile.setDescription("Non-human identity governance for client-credentials tokens");
                profile.setExecutors(new ArrayList<>());
                profiles.add(profile);
                created.add("client profile " + NAME);
            } else {
                present.add("client profile " + NAME);
            }
            List<ClientPolicyExecutorRepresentation> executors =
                    new ArrayList<>(Objects.requireNonNullElse(profile.getExecutors(), List.of()));
            if (executors.stream().anyMatch(e -> NhiAccessPolicyExecutorFactory.PROVIDER_ID.equals(e.getExecutorProviderId()))) {
                present.add("executor " + NhiAccessPolicyExecutorFactory.PROVIDER_ID);
                return;
            }
            ClientPolicyExecutorRepresentation executor = new ClientPolicyExecutorRepresentation();
            executor.setExecutorProviderId(NhiAccessPolicyExecutorFactory.PROVIDER_ID);
            executor.setConfiguration(JsonNodeFactory.instance.objectNode());
            executors.add(executor);
            profile.setExecutors(executors);
            all.setProfiles(profiles);
            policies.updateClientProfiles(realm, all);
            created.add("executor " + NhiAccessPolicyExecutorFactory.PROVIDER_ID);
        }

        private void ensurePolicy(RealmModel realm, List<String> created, List<String> present)
                throws ClientPolicyException {
            ClientPoliciesRepresentation all = policies.getClientPolicies(realm, false);
            List<ClientPolicyRepresentation> list = new ArrayList<>(Objects.requireNonNullElse(all.getPolicies(), List.of()));
            if (list.stream().anyMatch(p -> NAME.equals(p.getName()))) {
                present.add("client policy " + NAME);
                return;
            }
            ClientPolicyConditionRepresentation condition = new ClientPolicyConditionRepresentation();
            condition.setConditionProviderId(ClientCredentialsConditionFactory.PROVIDER_ID);
            condition.setConfiguration(JsonNodeFactory.instance.objectNode());
            ClientPolicyRepresentation policy = new ClientPolicyRepresentation();
            policy.setName(NAME);
            policy.setDescription("Applies the nhi profile to client-credentials token requests");
            policy.setEnabled(true);
            policy.setConditions(List.of(condition));
            policy.setProfiles(List.of(NAME));
            list.add(policy);
            all.setPolicies(list);
            policies.updateClientPolicies(realm, all);
            created.add("client policy " + NAME);
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
