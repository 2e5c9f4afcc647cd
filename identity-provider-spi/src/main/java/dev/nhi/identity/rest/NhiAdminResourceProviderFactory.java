package dev.nhi.identity.rest;

import dev.nhi.identity.spi.StatelessProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Mounts {@code /admin/realms/{realm}/nhi}. Keycloak has already verified the bearer token and refused
 * other realms' admins (403); everything else is checked per call by {@link Caller}.
 */
public final class NhiAdminResourceProviderFactory implements AdminRealmResourceProviderFactory,
        AdminRealmResourceProvider, StatelessProviderFactory<AdminRealmResourceProvider> {
    public static final String PROVIDER_ID = "nhi";

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new NhiAdminResource(session, realm, Caller.of(auth, realm));
    }

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
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
