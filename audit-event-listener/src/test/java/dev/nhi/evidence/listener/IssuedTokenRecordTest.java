package dev.nhi.evidence.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;
import org.keycloak.representations.AccessToken;

class IssuedTokenRecordTest {
    private final Map<String, Object> attributes = new HashMap<>();
    private final KeycloakSession session = (KeycloakSession) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {KeycloakSession.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getAttribute" -> attributes.get((String) args[0]);
                case "setAttribute" -> attributes.put((String) args[0], args[1]);
                case "removeAttribute" -> attributes.remove((String) args[0]);
                default -> throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void theEventOfTheSubmittedTokenTakesItsRecordOnce() {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        IssuedTokenRecord.remember(session, "jti-1", stored);

        assertThat(IssuedTokenRecord.take(session, clientLogin("jti-1"))).isSameAs(stored);
        assertThat(IssuedTokenRecord.take(session, clientLogin("jti-1"))).isNull();
    }

    @Test
    void anEventOfAnotherTokenIsRecordedFromTheEvent() {
        IssuedTokenRecord.remember(session, "jti-1", new CompletableFuture<>());
        assertThat(IssuedTokenRecord.take(session, clientLogin("jti-2"))).isNull();
        assertThat(attributes).isEmpty();

        IssuedTokenRecord.remember(session, "jti-1", new CompletableFuture<>());
        assertThat(IssuedTokenRecord.take(session, clientLogin(null))).isNull();
    }

    @Test
    void onlyAClientLoginTakesTheRecord() {
        IssuedTokenRecord.remember(session, "jti-1", new CompletableFuture<>());
        Event refresh = clientLogin("jti-1");
        refresh.setType(EventType.REFRESH_TOKEN);

        assertThat(IssuedTokenRecord.take(session, refresh)).isNull();
        assertThat(attributes).hasSize(1);
    }

    /** Keycloak skips a realm's listener whose provider is disabled; the post-processor must not fail the token. */
    @Test
    void aDisabledListenerProviderRecordsNothing() {
        AccessToken token = new AccessToken();
        token.id("jti-1");
        ClientSessionContext clientCredentials = (ClientSessionContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ClientSessionContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> TokenEvidence.CLIENT_CREDENTIALS;
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        new IssuedTokenRecord(session, null).process(new TokenPostProcessorContext(null, null, null, token,
                clientCredentials));

        assertThat(attributes).isEmpty();
    }

    private static Event clientLogin(String tokenId) {
        Event event = new Event();
        event.setType(EventType.CLIENT_LOGIN);
        Map<String, String> details = new HashMap<>();
        details.put(Details.TOKEN_ID, tokenId);
        event.setDetails(details);
        return event;
    }
}
