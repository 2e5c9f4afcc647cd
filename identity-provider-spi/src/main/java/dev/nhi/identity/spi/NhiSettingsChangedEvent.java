package dev.nhi.identity.spi;

import dev.nhi.identity.core.NhiSettings;
import java.time.Instant;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * Published inside the writing transaction when a realm's NHI settings change through the REST API
 * ({@code PUT /nhi/settings} or {@code /nhi/setup}); the evidence layer records it.
 */
public record NhiSettingsChangedEvent(KeycloakSession session, RealmModel realm, NhiSettings before,
                                      NhiSettings after, String actorId, String actorName, Instant at)
        implements ProviderEvent {
}
