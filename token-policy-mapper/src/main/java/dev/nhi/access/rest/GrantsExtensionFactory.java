package dev.nhi.access.rest;

import dev.nhi.identity.rest.Caller;
import dev.nhi.identity.spi.NhiAdminExtension;
import dev.nhi.identity.spi.NhiAdminExtensionFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Mounts {@code /admin/realms/{realm}/nhi/grants}. */
public final class GrantsExtensionFactory implements NhiAdminExtensionFactory, NhiAdminExtension {
    public static final String PROVIDER_ID = "grants";

    @Override
    public Object resource(KeycloakSession session, RealmModel realm, Caller caller) {
        return new GrantsResource(session, realm, caller);
    }

    @Override
    public NhiAdminExtension create(KeycloakSession session) {
        return this;
    }

    /** Both provider and factory: one close for both. */
    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
