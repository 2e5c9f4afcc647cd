package dev.nhi.identity.jpa;

import dev.nhi.identity.spi.StatelessProviderFactory;
import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * One layer's tables in Keycloak's persistence unit: its entities and its Liquibase changelog. The id
 * names the layer's Liquibase history table ({@code DATABASECHANGELOG_<ID>}): never rename it.
 */
public abstract class TablesProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider,
        StatelessProviderFactory<JpaEntityProvider> {
    private final String id;
    private final String changelog;
    private final List<Class<?>> entities;

    protected TablesProviderFactory(String id, String changelog, List<Class<?>> entities) {
        this.id = id;
        this.changelog = changelog;
        this.entities = List.copyOf(entities);
    }

    @Override
    public final JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public final List<Class<?>> getEntities() {
        return entities;
    }

    @Override
    public final String getChangelogLocation() {
        return changelog;
    }

    @Override
    public final String getFactoryId() {
        return id;
    }

    /** Both provider and factory: one close for both. */
    @Override
    public final void close() {
    }

    @Override
    public final String getId() {
        return id;
    }
}
