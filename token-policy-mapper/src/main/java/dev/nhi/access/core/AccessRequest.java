package dev.nhi.access.core;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the token endpoint knows about one client-credentials request besides the client's record.
 *
 * @param source the client's address as Keycloak sees it (after its proxy-headers setting)
 * @param authMethod the client authenticator that authenticated the request, e.g. {@code client-secret}
 * @param secretCreatedAt when the client's secret was generated, or null when Keycloak does not know
 * @param requestedScopes the request's {@code scope} parameter, split on spaces (empty when absent)
 */
public record AccessRequest(InetAddress source, String authMethod, Instant secretCreatedAt,
                            Set<String> requestedScopes) {
    public AccessRequest {
        requestedScopes = requestedScopes == null ? Set.of() : Set.copyOf(requestedScopes);
    }

    /** Splits an OAuth {@code scope} parameter. */
    public static Set<String> scopes(String parameter) {
        Set<String> scopes = new LinkedHashSet<>();
        if (parameter != null) {
            for (String scope : parameter.trim().split("\\s+")) {
                if (!scope.isEmpty()) {
                    scopes.add(scope);
                }
            }
        }
        return scopes;
    }
}
