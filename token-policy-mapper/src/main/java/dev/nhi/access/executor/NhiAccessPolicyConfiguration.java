package dev.nhi.access.executor;

import dev.nhi.access.core.AccessPolicy;
import dev.nhi.identity.core.InvalidInputException;
import jakarta.ws.rs.core.Response;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.ErrorResponse;

/**
 * The executor's JSON configuration. Keycloak calls {@link #validateConfig()} only when a profile is
 * saved; its boolean answer would give the admin a generic message, so an invalid key is answered here
 * with a 400 naming it, before anything is stored.
 */
public final class NhiAccessPolicyConfiguration extends ClientPolicyExecutorConfigurationRepresentation {

    AccessPolicy policy() {
        return AccessPolicy.cached(getConfigAsMap());
    }

    @Override
    public boolean validateConfig() {
        try {
            policy();
            return true;
        } catch (InvalidInputException e) {
            throw ErrorResponse.error(NhiAccessPolicyExecutorFactory.PROVIDER_ID + ": " + e.getMessage(),
                    Response.Status.BAD_REQUEST);
        }
    }
}
