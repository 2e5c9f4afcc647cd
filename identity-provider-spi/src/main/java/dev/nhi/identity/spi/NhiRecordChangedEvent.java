package dev.nhi.identity.spi;

import dev.nhi.identity.core.Change;
import dev.nhi.identity.core.NhiRecord;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * Published inside the writing transaction after each new version. The identity layer does not
 * know who listens (the evidence layer does); {@code before} is null for a registration.
 */
public record NhiRecordChangedEvent(KeycloakSession session, RealmModel realm, NhiRecord before, NhiRecord after,
                                    Change change) implements ProviderEvent {
}
