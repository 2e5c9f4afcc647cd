package dev.nhi.evidence.listener;

import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.TokenFacts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The evidence of one client-credentials token request, or of a refresh of a token one gave, from
 * Keycloak's event and the access layer's facts.
 */
final class TokenEvidence {
    static final String ISSUED = "token.issued";
    static final String DENIED = "token.denied";
    private static final String CLIENT_CREDENTIALS = "client_credentials";
    private static final String REFRESH_TOKEN = "refresh_token";
    private static final String POLICY_ERROR_DETAIL = "client_policy_error_detail";

    private TokenEvidence() {
    }

    /** The record's fields, or null when the event is not a client-credentials token request or refresh. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(KeycloakSession session, RealmModel realm, Event event) {
        Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
        String grantType = grantType(session, realm, event, details);
        if (grantType == null) {
            return null;
        }
        boolean issued = event.getType() == EventType.CLIENT_LOGIN || event.getType() == EventType.REFRESH_TOKEN;
        String type = issued ? ISSUED : DENIED;
        Map<String, Object> facts = issued ? session.getAttribute(TokenFacts.SESSION_ATTRIBUTE, Map.class) : null;
        facts = facts == null ? Map.of() : facts;

        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("clientId", event.getClientId());
        ClientModel client = event.getClientId() == null ? null : realm.getClientByClientId(event.getClientId());
        NhiRecord record = client == null ? null
                : session.getProvider(NhiStore.class).cachedByClientUuid(realm, client.getId()).orElse(null);
        subject.put("recordId", record == null ? null : record.id());
        subject.put("owner", record == null ? null : record.ownerId());

        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("clientId", event.getClientId());
        actor.put("ipAddress", event.getIpAddress());

        Map<String, Object> decision = new LinkedHashMap<>();
        if (issued) {
            decision.put("outcome", "issued");
            decision.put("policy", facts.get(TokenFacts.POLICY));
            decision.put("grant", facts.get(TokenFacts.GRANT));
            decision.put("wouldDeny", facts.get(TokenFacts.WOULD_DENY));
            decision.put("rules", facts.get(TokenFacts.RULES));
        } else {
            Map<String, Object> denial = TokenFacts.takeDenial(event.getClientId());
            String detail = details.get(POLICY_ERROR_DETAIL);
            decision.put("policy", denial.get(TokenFacts.POLICY));
            decision.put("outcome", "denied");
            decision.put("error", event.getError());
            decision.put("code", detail != null && detail.startsWith("nhi_") && detail.contains(":")
                    ? detail.substring(0, detail.indexOf(':')) : null);
            decision.put("message", detail != null ? detail : details.get(Details.REASON));
            decision.put("rules", denial.get(TokenFacts.RULES));
        }

        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("scope", details.get(Details.SCOPE));
        evidence.put("tokenId", details.get(Details.TOKEN_ID));
        Object exp = facts.get(TokenFacts.EXP);
        evidence.put("exp", exp instanceof Number n ? n.longValue() : null);
        evidence.put("authMethod", details.get(Details.CLIENT_AUTH_METHOD));
        evidence.put("sourceAddress", event.getIpAddress());
        evidence.put("grantType", grantType);

        return ChangeEvidence.fields(type, Instant.ofEpochMilli(event.getTime()), subject, actor, decision, evidence);
    }

    /**
     * {@code client_credentials} for a client-credentials request; {@code refresh_token} for a refresh of
     * a service account's session (the tokens client credentials gave) or one the access layer refused;
     * null for anything else.
     */
    private static String grantType(KeycloakSession session, RealmModel realm, Event event, Map<String, String> details) {
        EventType type = event.getType();
        if (type == EventType.CLIENT_LOGIN || type == EventType.CLIENT_LOGIN_ERROR) {
            return CLIENT_CREDENTIALS.equals(details.get(Details.GRANT_TYPE)) ? CLIENT_CREDENTIALS : null;
        }
        if (type != EventType.REFRESH_TOKEN && type != EventType.REFRESH_TOKEN_ERROR) {
            return null;
        }
        String detail = details.get(POLICY_ERROR_DETAIL);
        if (detail != null && detail.startsWith("nhi_")) {
            return REFRESH_TOKEN;
        }
        UserModel user = event.getUserId() == null ? null : session.users().getUserById(realm, event.getUserId());
        return user != null && user.getServiceAccountClientLink() != null ? REFRESH_TOKEN : null;
    }
}
