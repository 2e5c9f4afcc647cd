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
import org.keycloak.representations.AccessToken;

/**
 * The evidence of one client-credentials token request, or of a refresh of a token one gave, from
 * Keycloak's event and the access layer's facts.
 */
final class TokenEvidence {
    static final String ISSUED = "token.issued";
    static final String DENIED = "token.denied";
    static final String CLIENT_CREDENTIALS = "client_credentials";
    private static final String REFRESH_TOKEN = "refresh_token";
    private static final String POLICY_ERROR_DETAIL = "client_policy_error_detail";

    private TokenEvidence() {
    }

    /**
     * The record of a client-credentials token as Keycloak is about to sign it: the token's own id, expiry
     * and scope, which is what the client receives. Keycloak 26.7.3 accepts a confidential client only by
     * the authenticator it is configured with, so that is the request's auth method.
     */
    static Map<String, Object> issued(KeycloakSession session, RealmModel realm, ClientModel client, AccessToken token,
                                      String scope) {
        return issued(session, realm, client.getClientId(), client,
                session.getContext().getConnection().getRemoteHost(), Instant.now(), scope, token.getId(),
                token.getExp(), TokenFacts.authMethod(client), CLIENT_CREDENTIALS);
    }

    /** The record's fields, or null when the event is not a client-credentials token request or refresh. */
    static Map<String, Object> of(KeycloakSession session, RealmModel realm, Event event) {
        Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
        String grantType = grantType(session, realm, event, details);
        if (grantType == null) {
            return null;
        }
        Instant at = Instant.ofEpochMilli(event.getTime());
        if (event.getType() == EventType.CLIENT_LOGIN || event.getType() == EventType.REFRESH_TOKEN) {
            Object exp = facts(session).get(TokenFacts.EXP);
            return issued(session, realm, event.getClientId(), client(realm, event.getClientId()),
                    event.getIpAddress(), at, details.get(Details.SCOPE),
                    details.get(Details.TOKEN_ID), exp instanceof Number n ? n.longValue() : null,
                    details.get(Details.CLIENT_AUTH_METHOD), grantType);
        }
        Map<String, Object> denial = TokenFacts.takeDenial(event.getClientId());
        String detail = details.get(POLICY_ERROR_DETAIL);
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("policy", denial.get(TokenFacts.POLICY));
        decision.put("outcome", "denied");
        decision.put("error", event.getError());
        decision.put("code", detail != null && detail.startsWith("nhi_") && detail.contains(":")
                ? detail.substring(0, detail.indexOf(':')) : null);
        decision.put("message", detail != null ? detail : details.get(Details.REASON));
        decision.put("rules", denial.get(TokenFacts.RULES));
        return ChangeEvidence.fields(DENIED, at,
                subject(session, realm, event.getClientId(), client(realm, event.getClientId())),
                actor(event.getClientId(), event.getIpAddress()), decision,
                tokenDetails(details.get(Details.SCOPE), details.get(Details.TOKEN_ID), null,
                        details.get(Details.CLIENT_AUTH_METHOD), event.getIpAddress(), grantType));
    }

    private static Map<String, Object> issued(KeycloakSession session, RealmModel realm, String clientId,
                                              ClientModel client, String sourceAddress, Instant at, String scope,
                                              String tokenId, Long exp, String authMethod, String grantType) {
        Map<String, Object> facts = facts(session);
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("outcome", "issued");
        decision.put("policy", facts.get(TokenFacts.POLICY));
        decision.put("grant", facts.get(TokenFacts.GRANT));
        decision.put("wouldDeny", facts.get(TokenFacts.WOULD_DENY));
        decision.put("rules", facts.get(TokenFacts.RULES));
        return ChangeEvidence.fields(ISSUED, at, subject(session, realm, clientId, client),
                actor(clientId, sourceAddress), decision,
                tokenDetails(scope, tokenId, exp, authMethod, sourceAddress, grantType));
    }

    /** What the access layer left on the request's session; empty when it did not decide the request. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> facts(KeycloakSession session) {
        Map<String, Object> facts = session.getAttribute(TokenFacts.SESSION_ATTRIBUTE, Map.class);
        return facts == null ? Map.of() : facts;
    }

    /** The client an event names, or null. */
    private static ClientModel client(RealmModel realm, String clientId) {
        return clientId == null ? null : realm.getClientByClientId(clientId);
    }

    private static Map<String, Object> subject(KeycloakSession session, RealmModel realm, String clientId,
                                               ClientModel client) {
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("clientId", clientId);
        NhiRecord record = client == null ? null
                : session.getProvider(NhiStore.class).cachedByClientUuid(realm, client.getId()).orElse(null);
        subject.put("recordId", record == null ? null : record.id());
        subject.put("owner", record == null ? null : record.ownerId());
        return subject;
    }

    private static Map<String, Object> actor(String clientId, String ipAddress) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("clientId", clientId);
        actor.put("ipAddress", ipAddress);
        return actor;
    }

    private static Map<String, Object> tokenDetails(String scope, String tokenId, Long exp, String authMethod,
                                                    String sourceAddress, String grantType) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scope", scope);
        details.put("tokenId", tokenId);
        details.put("exp", exp);
        details.put("authMethod", authMethod);
        details.put("sourceAddress", sourceAddress);
        details.put("grantType", grantType);
        return details;
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
