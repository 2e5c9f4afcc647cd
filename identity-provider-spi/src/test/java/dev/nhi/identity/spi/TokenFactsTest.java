package dev.nhi.identity.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ClientModel;

class TokenFactsTest {
    @Test
    void aClientAuthenticatesByItsConfiguredAuthenticator() {
        assertThat(TokenFacts.authMethod(client("client-jwt"))).isEqualTo("client-jwt");
    }

    /** Keycloak 26.7.3 leaves the type unset on a client created without one and accepts its secret. */
    @Test
    void aClientWithoutOneAuthenticatesByKeycloaksDefault() {
        assertThat(TokenFacts.authMethod(client(null))).isEqualTo("client-secret");
    }

    private static ClientModel client(String authenticatorType) {
        return (ClientModel) Proxy.newProxyInstance(TokenFactsTest.class.getClassLoader(),
                new Class<?>[] {ClientModel.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getClientAuthenticatorType")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return authenticatorType;
                });
    }
}
