package dev.nhi.access.executor;

import dev.nhi.access.core.AccessRequest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.regex.Pattern;
import org.keycloak.models.ClientModel;

/** What a client's Keycloak configuration says about a request it makes: how it authenticates, how old its secret is. */
public final class RequestFacts {
    /** Set by Keycloak only when it generates a secret; absent for a secret given explicitly. */
    private static final String SECRET_CREATION_TIME = "client.secret.creation.time";
    private static final String DEFAULT_AUTH_METHOD = "client-secret";
    private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");

    private RequestFacts() {
    }

    public static AccessRequest of(ClientModel client, InetAddress source, String scope) {
        String authMethod = client.getClientAuthenticatorType() != null ? client.getClientAuthenticatorType()
                : DEFAULT_AUTH_METHOD;
        String created = client.getAttribute(SECRET_CREATION_TIME);
        Instant secretCreatedAt = null;
        if (created != null && EPOCH_SECONDS.matcher(created).matches()) {
            secretCreatedAt = Instant.ofEpochSecond(Long.parseLong(created));
        }
        return new AccessRequest(source, authMethod, secretCreatedAt, AccessRequest.scopes(scope));
    }
}
