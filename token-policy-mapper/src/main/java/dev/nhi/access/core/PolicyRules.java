package dev.nhi.access.core;

import dev.nhi.identity.core.Lifecycle;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The conditions of one {@link AccessPolicy} applied to a request, the JIT grant it needs, and the token
 * lifetime it allows. The token path stops at the first denial; an explanation runs every rule.
 */
public final class PolicyRules {
    /** Authenticators that present the client's shared secret, whose age {@code max-secret-age-days} bounds. */
    private static final Set<String> SECRET_METHODS = Set.of("client-secret", "client-secret-jwt");
    /** Not a permission: asks for OpenID Connect semantics, which a client-credentials token does not carry. */
    private static final String OPENID = "openid";

    /** The inputs every rule reads. */
    private record Input(AccessPolicy policy, AccessRequest request, NhiRecord record, NhiSettings settings,
                         Grant grant, Instant now) {
    }

    /** A rule answers null when the policy does not configure it. */
    private record Rule(String name, Function<Input, Decision> check) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("scope", PolicyRules::scopes),
            new Rule("source", PolicyRules::source),
            new Rule("time", PolicyRules::time),
            new Rule("auth-method", PolicyRules::authMethod),
            new Rule("secret-age", PolicyRules::secretAge),
            new Rule("review", PolicyRules::review));

    private PolicyRules() {
    }

    /** The token path: the first rule the request fails, else allowed with the grant it uses. */
    public static Evaluation check(AccessPolicy policy, AccessRequest request, NhiRecord record,
                                   NhiSettings settings, Collection<Grant> activeGrants, Instant now) {
        Input input = input(policy, request, record, settings, activeGrants, now);
        for (Rule rule : RULES) {
            Decision decision = rule.check().apply(input);
            if (decision != null && !decision.allowed()) {
                return new Evaluation(decision, null, List.of());
            }
        }
        return new Evaluation(Decision.ALLOW, input.grant(), List.of());
    }

    /** Every rule's outcome; the decision is the first denial, as on the token path. */
    public static Evaluation explain(AccessPolicy policy, AccessRequest request, NhiRecord record,
                                     NhiSettings settings, Collection<Grant> activeGrants, Instant now) {
        Input input = input(policy, request, record, settings, activeGrants, now);
        List<RuleOutcome> outcomes = new ArrayList<>(RULES.size());
        Decision first = null;
        for (Rule rule : RULES) {
            Decision decision = rule.check().apply(input);
            outcomes.add(RuleOutcome.of(rule.name(), decision));
            if (first == null && decision != null && !decision.allowed()) {
                first = decision;
            }
        }
        return first == null ? new Evaluation(Decision.ALLOW, input.grant(), outcomes)
                : new Evaluation(first, null, outcomes);
    }

    /**
     * Whether a token decided by this policy may carry {@code scope}: allowed and not elevated, or granted.
     * Scopes the request did not ask for (a client's default scopes) that fail this are removed from the token.
     */
    public static boolean mayCarry(AccessPolicy policy, String scope, Grant grant) {
        if (OPENID.equals(scope) || grant != null && grant.scopes().contains(scope)) {
            return true;
        }
        return !policy.elevatedScopes().contains(scope)
                && (policy.allowedScopes() == null || policy.allowedScopes().contains(scope));
    }

    /**
     * The longest lifetime a token may have: the policy's {@code max-token-ttl} (else the realm's
     * default), never beyond the record's expiry nor the grant's. At least one second, since a denial
     * is decided elsewhere.
     */
    public static Duration tokenTtl(AccessPolicy policy, NhiRecord record, NhiSettings settings, Instant grantExpiresAt,
                                    Instant now) {
        return tokenCap(policy, record, settings, grantExpiresAt).ttlFrom(now);
    }

    /** What {@link #tokenTtl} is made of, before the token's issue time is known. */
    public static TokenCap tokenCap(AccessPolicy policy, NhiRecord record, NhiSettings settings,
                                    Instant grantExpiresAt) {
        Duration ttl = policy.maxTokenTtl() != null ? policy.maxTokenTtl()
                : Duration.ofSeconds(settings.defaultTokenTtlSeconds());
        Instant end = record == null ? null : record.expiresAt();
        if (grantExpiresAt != null && (end == null || grantExpiresAt.isBefore(end))) {
            end = grantExpiresAt;
        }
        return new TokenCap(ttl, end);
    }

    private static Input input(AccessPolicy policy, AccessRequest request, NhiRecord record, NhiSettings settings,
                               Collection<Grant> activeGrants, Instant now) {
        return new Input(policy, request, record, settings, coveringGrant(policy, request, activeGrants, now), now);
    }

    /** Of the grants covering every requested scope this policy does not allow outright, the longest-lived. */
    private static Grant coveringGrant(AccessPolicy policy, AccessRequest request, Collection<Grant> grants,
                                       Instant now) {
        if (grants.isEmpty()) {
            return null;
        }
        Set<String> needed = new TreeSet<>();
        for (String scope : request.requestedScopes()) {
            if (!mayCarry(policy, scope, null)) {
                needed.add(scope);
            }
        }
        if (needed.isEmpty()) {
            return null;
        }
        Grant best = null;
        for (Grant grant : grants) {
            if (grant.activeAt(now) && grant.covers(needed)
                    && (best == null || grant.expiresAt().isAfter(best.expiresAt()))) {
                best = grant;
            }
        }
        return best;
    }

    private static Decision scopes(Input in) {
        AccessPolicy policy = in.policy();
        if (policy.allowedScopes() == null && policy.elevatedScopes().isEmpty()) {
            return null;
        }
        for (String scope : in.request().requestedScopes()) {
            if (mayCarry(policy, scope, in.grant())) {
                continue;
            }
            if (policy.elevatedScopes().contains(scope)) {
                return Decision.deny(DenialCode.GRANT_REQUIRED, "scope " + scope
                        + " is elevated and needs an approved, unexpired grant");
            }
            return Decision.deny(DenialCode.SCOPE_DENIED, "scope " + scope + " is not in "
                    + AccessPolicy.ALLOWED_SCOPES + " " + policy.allowedScopes());
        }
        return Decision.ALLOW;
    }

    private static Decision source(Input in) {
        AccessPolicy policy = in.policy();
        if (policy.sourceCidrs().isEmpty()) {
            return null;
        }
        AccessRequest request = in.request();
        if (request.source() != null && policy.sourceCidrs().stream().anyMatch(c -> c.contains(request.source()))) {
            return Decision.ALLOW;
        }
        return Decision.deny(DenialCode.SOURCE_DENIED, "source address "
                + (request.source() == null ? "unknown" : request.source().getHostAddress()) + " is outside "
                + AccessPolicy.SOURCE_CIDRS + " " + policy.sourceCidrs());
    }

    private static Decision time(Input in) {
        AccessPolicy policy = in.policy();
        if (policy.timeWindows().isEmpty()) {
            return null;
        }
        if (policy.timeWindows().stream().anyMatch(w -> w.contains(in.now().atZone(policy.timeZone())))) {
            return Decision.ALLOW;
        }
        return Decision.deny(DenialCode.TIME_DENIED, "outside " + AccessPolicy.TIME_WINDOWS + " "
                + policy.timeWindows() + " (" + policy.timeZone() + ")");
    }

    private static Decision authMethod(Input in) {
        AccessPolicy policy = in.policy();
        if (policy.allowedAuthMethods().isEmpty()) {
            return null;
        }
        String method = in.request().authMethod();
        return policy.allowedAuthMethods().contains(method) ? Decision.ALLOW
                : Decision.deny(DenialCode.AUTH_METHOD_DENIED, "authentication method " + method + " is not in "
                + AccessPolicy.ALLOWED_AUTH_METHODS + " " + policy.allowedAuthMethods());
    }

    private static Decision secretAge(Input in) {
        AccessPolicy policy = in.policy();
        if (policy.maxSecretAgeDays() == null) {
            return null;
        }
        AccessRequest request = in.request();
        if (!SECRET_METHODS.contains(request.authMethod())) {
            return Decision.ALLOW;
        }
        if (request.secretCreatedAt() == null) {
            return Decision.deny(DenialCode.SECRET_TOO_OLD, "the secret's creation time is unknown; regenerate it");
        }
        if (request.secretCreatedAt().isBefore(in.now().minus(Duration.ofDays(policy.maxSecretAgeDays())))) {
            return Decision.deny(DenialCode.SECRET_TOO_OLD, "secret created " + request.secretCreatedAt()
                    + " is older than " + policy.maxSecretAgeDays() + " days; regenerate it");
        }
        return Decision.ALLOW;
    }

    private static Decision review(Input in) {
        if (!in.policy().requireReviewCurrent() || in.record() == null) {
            return null;
        }
        Instant due = Lifecycle.reviewDueAt(in.record(), in.settings());
        return in.now().isBefore(due) ? Decision.ALLOW
                : Decision.deny(DenialCode.REVIEW_OVERDUE, "review was due at " + due);
    }
}
