package dev.nhi.identity.spi;

import java.util.HashMap;
import java.util.Map;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;

/**
 * What the access layer knows about a token request that Keycloak's events do not carry (the token's
 * {@code exp}, the deciding policies, the grant used, an audit-mode would-be denial). The access layer
 * leaves a {@code Map<String, Object>} under {@link #SESSION_ATTRIBUTE} on the request's session; the
 * evidence layer reads it when the request's event arrives. Neither layer depends on the other.
 */
public final class TokenFacts {
    public static final String SESSION_ATTRIBUTE = "nhi.token.facts";
    public static final String EXP = "exp";
    public static final String POLICY = "policy";
    public static final String GRANT = "grant";
    public static final String WOULD_DENY = "wouldDeny";
    /** Every rule's outcome of the policies that refused, or would have refused, the request. */
    public static final String RULES = "rules";
    /**
     * KeycloakModelUtils.getDefaultClientAuthenticatorType() in 26.7.3, named here because that class needs the
     * transaction API to load, which unit tests of the adapters do not have.
     */
    private static final String DEFAULT_AUTH_METHOD = "client-secret";
    /**
     * A refusal's facts cannot ride on the session: Keycloak delivers the error event in a new session,
     * on the same thread, right after the refusal. They are handed over on the thread instead, for one
     * client and for a few seconds at most.
     */
    private static final ThreadLocal<Denial> DENIAL = new ThreadLocal<>();
    private static final long DENIAL_MILLIS = 5_000;

    private record Denial(String clientId, long atMillis, Map<String, Object> facts) {
    }

    private TokenFacts() {
    }

    /** This request's facts, created on first use; every layer and profile deciding the request shares them. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> of(KeycloakSession session) {
        Map<String, Object> facts = session.getAttribute(SESSION_ATTRIBUTE, Map.class);
        if (facts == null) {
            facts = new HashMap<>();
            session.setAttribute(SESSION_ATTRIBUTE, facts);
        }
        return facts;
    }

    /**
     * How {@code client} authenticates a token request: Keycloak 26.7.3 accepts a confidential client only by
     * the authenticator it is configured with, its default when none is set.
     */
    public static String authMethod(ClientModel client) {
        String configured = client.getClientAuthenticatorType();
        return configured != null ? configured : DEFAULT_AUTH_METHOD;
    }

    /** Leaves a refusal's facts for the error event of the same request. */
    public static void handOverDenial(String clientId, Map<String, Object> facts) {
        DENIAL.set(new Denial(clientId, System.currentTimeMillis(), facts));
    }

    /** The facts of this thread's latest refusal of {@code clientId}, taken once; empty when there are none. */
    public static Map<String, Object> takeDenial(String clientId) {
        Denial denial = DENIAL.get();
        DENIAL.remove();
        if (denial == null || !denial.clientId().equals(clientId)
                || System.currentTimeMillis() - denial.atMillis() > DENIAL_MILLIS) {
            return Map.of();
        }
        return denial.facts();
    }
}
