package dev.nhi.access.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.access.core.AccessDecider;
import dev.nhi.access.core.AccessPolicy;
import dev.nhi.access.core.AccessRequest;
import dev.nhi.access.core.Cidr;
import dev.nhi.access.core.Decision;
import dev.nhi.access.core.DenialCode;
import dev.nhi.access.core.Evaluation;
import dev.nhi.access.core.Grant;
import dev.nhi.access.core.PolicyRules;
import dev.nhi.access.core.RuleOutcome;
import dev.nhi.access.executor.NhiAccessPolicyExecutorFactory;
import dev.nhi.access.executor.RequestFacts;
import dev.nhi.access.grant.JpaGrants;
import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.Inputs;
import dev.nhi.identity.core.Mode;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NotFoundException;
import dev.nhi.identity.rest.Caller;
import dev.nhi.identity.rest.JsonIO;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.RealmSettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/**
 * {@code POST /admin/realms/{realm}/nhi/explain}: the decision a client-credentials request would get,
 * with every rule's outcome per applying profile, issuing nothing. Readers may explain any client; an
 * owner, their own NHIs.
 *
 * <p>Profiles count when an enabled client policy names them. Conditions other than Keycloak's view of
 * a live request cannot be evaluated here; they are listed, and the profile is assumed to apply, which
 * shows the strictest outcome.
 */
final class ExplainResource {
    private static final Set<String> FIELDS = Set.of("clientId", "scope", "sourceAddress", "at");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Caller caller;

    ExplainResource(KeycloakSession session, RealmModel realm, Caller caller) {
        this.session = session;
        this.realm = realm;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response explain(String body) {
        return JsonIO.answer(() -> {
            Map<String, Object> input = JsonIO.object(body);
            Inputs.rejectUnknown(input, FIELDS);
            String clientId = Inputs.required(input, "clientId", 255);
            String scope = Inputs.optional(input, "scope", 4000);
            String source = Inputs.optional(input, "sourceAddress", 64);
            String at = Inputs.optional(input, "at", 64);
            InetAddress address = source == null ? null : Cidr.literal("sourceAddress", source, source);
            Instant when = at == null ? Instant.now() : Inputs.instant("at", at);
            ClientModel client = realm.getClientByClientId(clientId);
            if (client == null) {
                throw new NotFoundException("no client " + clientId + " in this realm");
            }
            NhiRecord record = session.getProvider(NhiStore.class).byClientUuid(realm, client.getId()).orElse(null);
            if (!caller.canRead() && (record == null || !caller.isOwner(record))) {
                throw new ForbiddenException(
                        "requires nhi-auditor, nhi-admin, realm-admin, or ownership of the record");
            }
            return JsonIO.ok(answer(client, record, RequestFacts.of(client, address, scope), when, input));
        });
    }

    private Map<String, Object> answer(ClientModel client, NhiRecord record, AccessRequest request, Instant at,
                                       Map<String, Object> input) {
        NhiSettings settings = RealmSettings.of(realm);
        Decision identity = AccessDecider.decide(record, settings, at);
        List<Grant> grants = new JpaGrants(session).active(realm, at).stream()
                .filter(g -> g.clientUuid().equals(client.getId())).toList();
        Decision combined = identity;
        List<Map<String, Object>> policies = new ArrayList<>();
        Duration ttl = null;
        for (Applying applying : applyingProfiles()) {
            for (ClientPolicyExecutorRepresentation executor : Objects.requireNonNullElse(
                    applying.profile().getExecutors(), List.<ClientPolicyExecutorRepresentation>of())) {
                if (!NhiAccessPolicyExecutorFactory.PROVIDER_ID.equals(executor.getExecutorProviderId())) {
                    continue;
                }
                Map<String, Object> outcome = new LinkedHashMap<>();
                outcome.put("policy", applying.policy());
                outcome.put("conditions", applying.conditions());
                outcome.put("profile", applying.profile().getName());
                Decision decision;
                try {
                    AccessPolicy policy = AccessPolicy.parse(config(executor));
                    Evaluation evaluation = PolicyRules.explain(policy, request, record, settings, grants, at);
                    decision = evaluation.decision();
                    Duration cap = PolicyRules.tokenTtl(policy, record, settings,
                            evaluation.grant() == null ? null : evaluation.grant().expiresAt(), at);
                    ttl = ttl == null || cap.compareTo(ttl) < 0 ? cap : ttl;
                    outcome.put("fingerprint", policy.fingerprint());
                    outcome.put("grant", evaluation.grant() == null ? null : evaluation.grant().id());
                    outcome.put("rules", rules(evaluation.outcomes()));
                } catch (InvalidInputException e) {
                    decision = Decision.deny(DenialCode.POLICY_INVALID, e.getMessage());
                }
                outcome.put("decision", decision(decision));
                policies.add(outcome);
                if (combined.allowed() && !decision.allowed()) {
                    combined = decision;
                }
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("clientId", client.getClientId());
        answer.put("scope", input.get("scope"));
        answer.put("sourceAddress", input.get("sourceAddress"));
        answer.put("at", at.toString());
        answer.put("mode", settings.mode().wire());
        answer.put("decision", decision(combined));
        answer.put("tokenIssued", settings.mode() != Mode.ENFORCE || combined.allowed());
        answer.put("tokenTtlSeconds", combined.allowed()
                ? (ttl == null ? PolicyRules.tokenTtl(AccessPolicy.UNRESTRICTED, record, settings, null, at) : ttl)
                .toSeconds() : null);
        answer.put("identity", decision(identity));
        answer.put("policies", policies);
        return answer;
    }

    /** A profile named by an enabled client policy, with that policy's name and condition ids. */
    private record Applying(String policy, List<String> conditions, ClientProfileRepresentation profile) {
    }

    /** The profiles of the enabled policies; a profile named twice counts once. */
    private List<Applying> applyingProfiles() {
        List<Applying> applying = new ArrayList<>();
        try {
            Map<String, ClientProfileRepresentation> byName = new LinkedHashMap<>();
            for (ClientProfileRepresentation profile : Objects.requireNonNullElse(
                    session.clientPolicy().getClientProfiles(realm, false).getProfiles(),
                    List.<ClientProfileRepresentation>of())) {
                byName.put(profile.getName(), profile);
            }
            for (ClientPolicyRepresentation policy : Objects.requireNonNullElse(
                    session.clientPolicy().getClientPolicies(realm, false).getPolicies(),
                    List.<ClientPolicyRepresentation>of())) {
                if (!Boolean.TRUE.equals(policy.isEnabled())) {
                    continue;
                }
                for (String name : Objects.requireNonNullElse(policy.getProfiles(), List.<String>of())) {
                    ClientProfileRepresentation profile = byName.get(name);
                    if (profile != null && applying.stream().noneMatch(a -> a.profile() == profile)) {
                        applying.add(new Applying(policy.getName(), conditions(policy), profile));
                    }
                }
            }
        } catch (ClientPolicyException e) {
            throw new IllegalStateException("cannot read the realm's client policies: " + e.getErrorDetail(), e);
        }
        return applying;
    }

    private static List<String> conditions(ClientPolicyRepresentation policy) {
        return Objects.requireNonNullElse(policy.getConditions(), List.<ClientPolicyConditionRepresentation>of())
                .stream().map(ClientPolicyConditionRepresentation::getConditionProviderId).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(ClientPolicyExecutorRepresentation executor) {
        return executor.getConfiguration() == null || executor.getConfiguration().isNull() ? Map.of()
                : JSON.convertValue(executor.getConfiguration(), Map.class);
    }

    private static List<Map<String, Object>> rules(List<RuleOutcome> outcomes) {
        return outcomes.stream().map(RuleOutcome::toMap).toList();
    }

    private static Map<String, Object> decision(Decision decision) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("allowed", decision.allowed());
        map.put("error", decision.allowed() ? null : decision.code().oauthError());
        map.put("code", decision.allowed() ? null : decision.code().wire());
        map.put("message", decision.message());
        return map;
    }
}
