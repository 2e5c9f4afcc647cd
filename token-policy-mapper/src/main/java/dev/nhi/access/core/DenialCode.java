package dev.nhi.access.core;

/** The contract's denial codes, each with the OAuth 2.0 error it is answered with. */
public enum DenialCode {
    UNREGISTERED("nhi_unregistered"),
    EXPIRED("nhi_expired"),
    SUSPENDED("nhi_suspended"),
    DECOMMISSIONED("nhi_decommissioned"),
    ORPHANED("nhi_orphaned"),
    REVIEW_OVERDUE("nhi_review_overdue"),
    SOURCE_DENIED("nhi_source_denied"),
    TIME_DENIED("nhi_time_denied"),
    AUTH_METHOD_DENIED("nhi_auth_method_denied"),
    SECRET_TOO_OLD("nhi_secret_too_old"),
    SCOPE_DENIED("nhi_scope_denied"),
    GRANT_REQUIRED("nhi_grant_required"),
    /** The policy's stored configuration does not parse (it was edited around validation): fail closed. */
    POLICY_INVALID("nhi_policy_invalid"),
    /** A refresh of a client-credentials token: the token would be issued without a decision. */
    REFRESH_DENIED("nhi_refresh_denied");

    private static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
    private static final String INVALID_SCOPE = "invalid_scope";

    private final String wire;

    DenialCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The {@code error} of the token endpoint's response. */
    public String oauthError() {
        return this == SCOPE_DENIED ? INVALID_SCOPE : UNAUTHORIZED_CLIENT;
    }
}
