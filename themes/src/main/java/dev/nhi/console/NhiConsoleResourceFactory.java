package dev.nhi.console;

import dev.nhi.identity.spi.StatelessProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** {@code /realms/{realm}/nhi}: the NHI console's pages, below {@code console/}. */
public final class NhiConsoleResourceFactory implements RealmResourceProviderFactory,
        StatelessProviderFactory<RealmResourceProvider> {
    public static final String PROVIDER_ID = "nhi";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        NhiConsoleResource resource = new NhiConsoleResource(session);
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return resource;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
