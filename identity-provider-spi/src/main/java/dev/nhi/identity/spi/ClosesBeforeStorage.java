package dev.nhi.identity.spi;

import java.util.Set;
import org.keycloak.connections.infinispan.InfinispanConnectionProvider;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;

/**
 * A factory whose {@code close} still uses the database and the realm cache (it writes what it holds in
 * memory). Keycloak closes factories in no fixed order, except that a factory closes before those it depends
 * on: without this, the JPA factory could close the EntityManagerFactory, or the Infinispan factory stop the
 * caches, first, and what was held would be lost at a clean shutdown.
 */
public interface ClosesBeforeStorage<T extends Provider> extends ProviderFactory<T> {
    @Override
    default Set<Class<? extends Provider>> dependsOn() {
        return Set.of(JpaConnectionProvider.class, InfinispanConnectionProvider.class);
    }
}
