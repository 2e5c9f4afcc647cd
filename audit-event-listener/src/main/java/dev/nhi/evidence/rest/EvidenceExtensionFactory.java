package dev.nhi.evidence.rest;

import dev.nhi.identity.rest.Caller;
import dev.nhi.identity.spi.NhiAdminExtensionFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Mounts {@code /admin/realms/{realm}/nhi/evidence}. */
public final class EvidenceExtensionFactory extends NhiAdminExtensionFactory {
    public static final String PROVIDER_ID = "evidence";

    public EvidenceExtensionFactory() {
        super(PROVIDER_ID);
    }

    @Override
    public Object resource(KeycloakSession session, RealmModel realm, Caller caller) {
        return new EvidenceResource(session, realm, caller);
    }
}
