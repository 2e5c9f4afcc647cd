package dev.nhi.access.grant;

import dev.nhi.identity.jpa.TablesProviderFactory;
import java.util.List;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

/**
 * The grant tables {@code NHI_GRANT} and {@code NHI_GRANT_VERSION} (history {@code DATABASECHANGELOG_NHI_GRANTS}),
 * deleted with their realm.
 */
public final class GrantEntityProviderFactory extends TablesProviderFactory {
    public static final String PROVIDER_ID = "nhi-grants";

    public GrantEntityProviderFactory() {
        super(PROVIDER_ID, "META-INF/nhi-grants-changelog-master.xml",
                List.of(GrantEntity.class, GrantVersionEntity.class));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new JpaGrants(removed.getKeycloakSession()).deleteRealm(removed.getRealm().getId());
            }
        });
    }
}
