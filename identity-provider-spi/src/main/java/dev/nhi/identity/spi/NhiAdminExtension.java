package dev.nhi.identity.spi;

import dev.nhi.identity.rest.Caller;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/**
 * A sub-resource of {@code /admin/realms/{realm}/nhi} that another layer contributes, mounted at the
 * path segment named by its factory id (e.g. {@code grants}). Identity authenticates the caller; the
 * extension checks what the caller may do.
 */
public interface NhiAdminExtension extends Provider {

    /** A JAX-RS resource object for this request. */
    Object resource(KeycloakSession session, RealmModel realm, Caller caller);

    @Override
    default void close() {
    }
}
