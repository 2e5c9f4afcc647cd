package dev.nhi.access.executor;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.util.DefaultClientSessionContext;

/**
 * Removes a client's default scopes from a client-credentials request before Keycloak builds the token.
 *
 * <p>Keycloak 26.7.3 fixes the request's client scopes before {@code SERVICE_ACCOUNT_TOKEN_REQUEST}
 * and offers no API to narrow them. Rewriting the token's {@code scope} claim afterwards is cosmetic:
 * the response's {@code scope}, the event's details, the roles and the scopes' mappers would all
 * still follow the original set. So the one set everything derives from is narrowed in place, in the
 * request's {@link DefaultClientSessionContext} (which Keycloak publishes as a session attribute), and
 * its derived values are reset. When that is not possible (a Keycloak whose internals differ), the
 * caller refuses the request instead: a scope is never granted by default against policy.
 */
final class ScopeNarrowing {
    private static final Field REQUESTED = field("requestedScopes");
    /** Values Keycloak derives lazily from the requested scopes; null makes it derive them again. */
    private static final List<String> DERIVED_NAMES = List.of("allowedClientScopes", "clientScopeIds", "roles",
            "protocolMappers", "scopeString");
    private static final List<Field> DERIVED = DERIVED_NAMES.stream().map(ScopeNarrowing::field)
            .filter(Objects::nonNull).toList();
    private static final boolean AVAILABLE = REQUESTED != null && DERIVED.size() == DERIVED_NAMES.size();

    private ScopeNarrowing() {
    }

    /**
     * Drops every client scope that appears in the token's {@code scope} claim and that {@code mayCarry}
     * refuses. The client's own dedicated scope and scopes kept out of the claim (such as {@code basic},
     * {@code roles} and {@code nhi}) are structure, not permissions, and stay.
     *
     * @return the names removed
     * @throws IllegalStateException when a scope must go and this Keycloak offers no way to remove it
     */
    static List<String> narrow(KeycloakSession session, Predicate<String> mayCarry) {
        ClientSessionContext context = session.getAttribute(ClientSessionContext.class.getName(),
                ClientSessionContext.class);
        Set<ClientScopeModel> requested = requestedScopes(context);
        List<String> removed = new ArrayList<>();
        for (ClientScopeModel scope : requested) {
            if (!(scope instanceof ClientModel) && scope.isIncludeInTokenScope() && !mayCarry.test(scope.getName())) {
                removed.add(scope.getName());
            }
        }
        if (removed.isEmpty()) {
            return removed;
        }
        if (!AVAILABLE) {
            throw new IllegalStateException("this Keycloak version does not let the client scopes of a request be"
                    + " narrowed");
        }
        try {
            requested.removeIf(scope -> !(scope instanceof ClientModel) && removed.contains(scope.getName()));
            for (Field derived : DERIVED) {
                derived.set(context, null);
            }
        } catch (IllegalAccessException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot reset the request's derived client scopes", e);
        }
        return removed;
    }

    @SuppressWarnings("unchecked")
    private static Set<ClientScopeModel> requestedScopes(ClientSessionContext context) {
        if (!(context instanceof DefaultClientSessionContext) || REQUESTED == null) {
            throw new IllegalStateException("the request's client scopes are not reachable");
        }
        try {
            return (Set<ClientScopeModel>) REQUESTED.get(context);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the request's client scopes are not reachable", e);
        }
    }

    private static Field field(String name) {
        try {
            Field field = DefaultClientSessionContext.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }
}
