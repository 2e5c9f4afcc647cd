package dev.nhi.access.core;

import dev.nhi.identity.core.Lifecycle;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** The conditions of one {@link AccessPolicy} applied to a request, and the token lifetime it allows. */
public final class PolicyRules {
    /** Authenticators that present the client's shared secret, whose age {@code max-secret-age-days} bounds. */
    private static final Set<String> SECRET_METHODS = Set.of("client-secret", "client-secret-jwt");
    /** Not a permission: asks for OpenID Connect semantics, which a client-credentials token does not carry. */
    private static final String OPENID = "openid";

    private PolicyRules() {
    }

    /** The first condition the request fails, or {@link Decision#ALLOW}. */
    public static Decision check(AccessPolicy policy, AccessRequest request, NhiRecord record, NhiSettings settings,
                                 Instant now) {
        for (String scope : request.requestedScopes()) {
            if (policy.elevatedScopes().contains(scope)) {
                return Decision.deny(DenialCode.GRANT_REQUIRED, "scope " + scope
                        + " is elevated and needs an approved, unexpired grant");
            }
            if (policy.allowedScopes() != null && !policy.allowedScopes().contains(scope)
                    && !OPENID.equals(scope)) {
                return Decision.deny(DenialCode.SCOPE_DENIED, "scope " + scope + " is not in "
                        + AccessPolicy.ALLOWED_SCOPES + " " + policy.allowedScopes());
            }
        }
        if (!policy.sourceCidrs().isEmpty()
                && (request.source() == null || policy.sourceCidrs().stream().noneMatch(c -> c.contains(request.source())))) {
            return Decision.deny(DenialCode.SOURCE_DENIED, "source address "
                    + (request.source() == null ? "unknown" : request.source().getHostAddress()) + " is outside "
                    + AccessPolicy.SOURCE_CIDRS + " " + policy.sourceCidrs());
        }
        if (!policy.timeWindows().isEmpty()
                && policy.timeWindows().stream().noneMatch(w -> w.contains(now.atZone(policy.timeZone())))) {
            return Decision.deny(DenialCode.TIME_DENIED, "outside " + AccessPolicy.TIME_WINDOWS + " "
                    + policy.timeWindows() + " (" + policy.timeZone() + ")");
        }
        if (!policy.allowedAuthMethods().isEmpty() && !policy.allowedAuthMethods().contains(request.authMethod())) {
            return Decision.deny(DenialCode.AUTH_METHOD_DENIED, "authentication method " + request.authMethod()
                    + " is not in " + AccessPolicy.ALLOWED_AUTH_METHODS + " " + policy.allowedAuthMethods());
        }
        if (policy.maxSecretAgeDays() != null && SECRET_METHODS.contains(request.authMethod())) {
            Instant oldest = now.minus(Duration.ofDays(policy.maxSecretAgeDays()));
            if (request.secretCreatedAt() == null) {
                return Decision.deny(DenialCode.SECRET_TOO_OLD, "the secret's creation time is unknown; regenerate it");
            }
            if (request.secretCreatedAt().isBefore(oldest)) {
                return Decision.deny(DenialCode.SECRET_TOO_OLD, "secret created " + request.secretCreatedAt()
                        + " is older than " + policy.maxSecretAgeDays() + " days; regenerate it");
            }
        }
        if (policy.requireReviewCurrent() && record != null && !now.isBefore(Lifecycle.reviewDueAt(record, settings))) {
            return Decision.deny(DenialCode.REVIEW_OVERDUE, "review was due at " + Lifecycle.reviewDueAt(record, settings));
        }
        return Decision.ALLOW;
    }

    /**
     * The longest lifetime a token may have: the policy's {@code max-token-ttl} (else the realm's
     * default), never beyond the record's expiry. At least one second, since a denial is decided elsewhere.
     */
    public static Duration tokenTtl(AccessPolicy policy, NhiRecord record, NhiSettings settings, Instant now) {
        Duration ttl = policy.maxTokenTtl() != null ? policy.maxTokenTtl()
                : Duration.ofSeconds(settings.defaultTokenTtlSeconds());
        if (record != null) {
            Duration untilExpiry = Duration.between(now, record.expiresAt());
            if (untilExpiry.compareTo(ttl) < 0) {
                ttl = untilExpiry;
            }
        }
        return ttl.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : ttl;
    }
}
