package dev.nhi.access.grant;

import dev.nhi.identity.spi.StatelessProviderFactory;
import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

/**
 * Registers the grant tables and their changelog with Keycloak's persistence unit, and deletes a realm's
 * grants with the realm. The id names the Liquibase history table ({@code DATABASECHANGELOG_NHI_GRANTS}):
 * never rename it.
 */
public final class GrantEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider,
        StatelessProviderFactory<JpaEntityProvider> {
    public static final String PROVIDER_ID = "nhi-grants";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new JpaGrants(removed.getKeycloakSession()).deleteRealm(removed.getRealm().getId());
            }
        });
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(GrantEntity.class, GrantVersionEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/nhi-grants-changelog-master.xml";
    }

    @Override
    public String getFactoryId() {
        return PROVIDER_ID;
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
