package dev.nhi.access.executor;

import dev.nhi.access.core.AccessRequest;
import dev.nhi.identity.spi.TokenFacts;
import java.net.InetAddress;
import java.time.Instant;
import java.util.regex.Pattern;
import org.keycloak.models.ClientModel;

/** What a client's Keycloak configuration says about a request it makes: how it authenticates, how old its secret is. */
public final class RequestFacts {
    /** Set by Keycloak only when it generates a secret; absent for a secret given explicitly. */
    private static final String SECRET_CREATION_TIME = "client.secret.creation.time";
    private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");

    private RequestFacts() {
    }

    public static AccessRequest of(ClientModel client, InetAddress source, String scope) {
        String created = client.getAttribute(SECRET_CREATION_TIME);
        Instant secretCreatedAt = null;
        if (created != null && EPOCH_SECONDS.matcher(created).matches()) {
            secretCreatedAt = Instant.ofEpochSecond(Long.parseLong(created));
        }
        return new AccessRequest(source, TokenFacts.authMethod(client), secretCreatedAt, AccessRequest.scopes(scope));
    }
}
