package dev.nhi.access.grant;

import dev.nhi.access.core.Grant;
import dev.nhi.access.core.GrantStep;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * Published inside the writing transaction after each step of a grant; the evidence layer listens.
 * {@code before} is null for a request.
 */
public record GrantChangedEvent(KeycloakSession session, RealmModel realm, Grant before, Grant after, GrantStep step)
        implements ProviderEvent {
}
