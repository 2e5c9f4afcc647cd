package dev.nhi.access.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.RealmSettings;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenRequestContext;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenResponseContext;

class NhiAccessPolicyExecutorTest {
    private final KeycloakSession session = mock(KeycloakSession.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final ClientModel client = mock(ClientModel.class);
    private final NhiStore store = mock(NhiStore.class);
    private final AuthenticatedClientSessionModel clientSession = mock(AuthenticatedClientSessionModel.class);
    private final NhiAccessPolicyExecutor executor = new NhiAccessPolicyExecutor(session);

    @BeforeEach
    void wire() {
        when(session.getProvider(NhiStore.class)).thenReturn(store);
        when(clientSession.getClient()).thenReturn(client);
        when(client.getRealm()).thenReturn(realm);
        when(client.getId()).thenReturn("uuid");
        when(client.getClientId()).thenReturn("billing");
        when(realm.getName()).thenReturn("acme");
        when(store.cachedByClientUuid(realm, "uuid")).thenReturn(Optional.empty());
    }

    private void mode(String mode) {
        when(realm.getAttribute(RealmSettings.ATTRIBUTE)).thenReturn("{\"mode\":\"" + mode + "\"}");
    }

    private ServiceAccountTokenRequestContext request() {
        return new ServiceAccountTokenRequestContext(null, clientSession);
    }

    @Test
    void enforceRefusesWithTheContractShape() {
        mode("enforce");
        assertThatThrownBy(() -> executor.executeOnEvent(request()))
                .isInstanceOfSatisfying(ClientPolicyException.class, e -> {
                    assertThat(e.getError()).isEqualTo("unauthorized_client");
                    assertThat(e.getErrorDetail()).startsWith("nhi_unregistered: ");
                });
    }

    @Test
    void auditDecidesButIssues() throws ClientPolicyException {
        mode("audit");
        assertThatCode(() -> executor.executeOnEvent(request())).doesNotThrowAnyException();
        verify(store).cachedByClientUuid(realm, "uuid");
    }

    @Test
    void offDecidesNothingAndNotesNoUsage() throws ClientPolicyException {
        mode("off");
        executor.executeOnEvent(request());
        executor.executeOnEvent(new ServiceAccountTokenResponseContext(null, clientSession, null));
        verify(store, never()).cachedByClientUuid(any(), any());
        verify(store, never()).noteUsage(any(), any(), any());
    }

    @Test
    void aRegisteredActiveRecordPassesAndItsUseIsNoted() throws ClientPolicyException {
        mode("enforce");
        Instant now = Instant.now();
        when(store.cachedByClientUuid(realm, "uuid")).thenReturn(Optional.of(new NhiRecord.Builder().id("r")
                .realmId("realm").clientUuid("uuid").clientId("billing").ownerId("o").purpose("p").createdAt(now)
                .expiresAt(now.plusSeconds(3600)).build()));
        executor.executeOnEvent(request());
        executor.executeOnEvent(new ServiceAccountTokenResponseContext(null, clientSession, null));
        verify(store).noteUsage(any(), any(), any());
    }
}
