package dev.nhi.identity.jpa;

import dev.nhi.identity.spi.StatelessProviderFactory;
import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * Registers our tables and changelog with Keycloak's persistence unit. The id names the Liquibase
 * history table ({@code DATABASECHANGELOG_NHI}): never rename it.
 */
public final class NhiEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider,
        StatelessProviderFactory<JpaEntityProvider> {
    public static final String PROVIDER_ID = "nhi";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(NhiRecordEntity.class, NhiRecordVersionEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/nhi-changelog-master.xml";
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
