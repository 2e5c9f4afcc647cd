package dev.nhi.identity.spi;

import org.keycloak.models.KeycloakSession;

/**
 * Factory of an {@link NhiAdminExtension}; its id is the path segment it is mounted at. Extensions are
 * stateless, so each factory is its own provider.
 */
public abstract class NhiAdminExtensionFactory implements StatelessProviderFactory<NhiAdminExtension>,
        NhiAdminExtension {
    private final String segment;

    protected NhiAdminExtensionFactory(String segment) {
        this.segment = segment;
    }

    @Override
    public final NhiAdminExtension create(KeycloakSession session) {
        return this;
    }

    /** Both provider and factory: one close for both. */
    @Override
    public final void close() {
    }

    @Override
    public final String getId() {
        return segment;
    }
}
