package dev.nhi.access.rest;

import dev.nhi.identity.rest.Caller;
import dev.nhi.identity.spi.NhiAdminExtensionFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Mounts {@code /admin/realms/{realm}/nhi/grants}. */
public final class GrantsExtensionFactory extends NhiAdminExtensionFactory {
    public static final String PROVIDER_ID = "grants";

    public GrantsExtensionFactory() {
        super(PROVIDER_ID);
    }

    @Override
    public Object resource(KeycloakSession session, RealmModel realm, Caller caller) {
        return new GrantsResource(session, realm, caller);
    }
}
