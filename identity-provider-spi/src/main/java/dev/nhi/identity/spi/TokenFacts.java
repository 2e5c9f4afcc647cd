package dev.nhi.identity.spi;

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

    private TokenFacts() {
    }
}
