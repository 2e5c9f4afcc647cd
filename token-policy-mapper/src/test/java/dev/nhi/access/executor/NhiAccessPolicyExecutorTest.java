package dev.nhi.access.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.nhi.access.condition.ClientCredentialsConditionFactory;
import dev.nhi.access.grant.GrantCache;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.RealmSettings;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.common.ClientConnection;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.ClientPolicyVote;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenRequestContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshResponseContext;

class NhiAccessPolicyExecutorTest {
    private final KeycloakSession session = mock(KeycloakSession.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final ClientModel client = mock(ClientModel.class);
    private final NhiStore store = mock(NhiStore.class);
    private final AuthenticatedClientSessionModel clientSession = mock(AuthenticatedClientSessionModel.class);
    private final GrantCache grants = new GrantCache(60_000);
    private final NhiAccessPolicyExecutor executor = new NhiAccessPolicyExecutor(session, grants);
    private final AccessToken token = new AccessToken();
    /** The client session's notes, which carry the decision from the executor to the post-processor. */
    private final Map<String, String> notes = new HashMap<>();

    @BeforeEach
    void wire() {
        when(session.getProvider(NhiStore.class)).thenReturn(store);
        when(clientSession.getClient()).thenReturn(client);
        when(client.getRealm()).thenReturn(realm);
        when(client.getId()).thenReturn("uuid");
        when(client.getClientId()).thenReturn("billing");
        when(realm.getName()).thenReturn("acme");
        when(realm.getId()).thenReturn("realm-id");
        // no grants in this realm: primed, so the executor never reaches for the database
        grants.of("realm-id", "null", "uuid", System.currentTimeMillis(), List::of);
        when(store.cachedByClientUuid(realm, "uuid")).thenReturn(Optional.empty());
        KeycloakContext context = mock(KeycloakContext.class);
        ClientConnection connection = mock(ClientConnection.class);
        when(session.getContext()).thenReturn(context);
        when(context.getConnection()).thenReturn(connection);
        when(connection.getRemoteAddr()).thenReturn("127.0.0.1");
        when(clientSession.getNote(anyString())).thenAnswer(call -> notes.get(call.<String>getArgument(0)));
        doAnswer(call -> notes.put(call.getArgument(0), call.getArgument(1))).when(clientSession)
                .setNote(anyString(), anyString());
        token.iat(1_000L);
        token.exp(1_000L + 3600);
    }

    /** Keycloak builds the token: the {@code nhi-token-lifetime} post-processor runs. */
    private void tokenBuilt() {
        ClientSessionContext built = mock(ClientSessionContext.class);
        when(built.getClientSession()).thenReturn(clientSession);
        new TokenLifetime(session).process(new TokenPostProcessorContext(null, null, null, token, built));
    }

    private void activeRecord() {
        Instant now = Instant.now();
        when(store.cachedByClientUuid(realm, "uuid")).thenReturn(Optional.of(new NhiRecord.Builder().id("r")
                .realmId("realm").clientUuid("uuid").clientId("billing").ownerId("o").purpose("p").createdAt(now)
                .expiresAt(now.plusSeconds(3600 * 24)).build()));
    }

    private static NhiAccessPolicyConfiguration config(String key, Object value) {
        NhiAccessPolicyConfiguration config = new NhiAccessPolicyConfiguration();
        config.setConfigAsMap(key, value);
        return config;
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

    /** A refresh of a session whose user is the service account of {@code serviceAccountOf} (null: a person). */
    private TokenRefreshResponseContext refreshOf(String serviceAccountOf) {
        UserModel user = mock(UserModel.class);
        when(user.getServiceAccountClientLink()).thenReturn(serviceAccountOf);
        UserSessionModel userSession = mock(UserSessionModel.class);
        when(userSession.getUser()).thenReturn(user);
        when(clientSession.getUserSession()).thenReturn(userSession);
        TokenRefreshResponseContext refresh = mock(TokenRefreshResponseContext.class);
        when(refresh.getEvent()).thenReturn(ClientPolicyEvent.TOKEN_REFRESH_RESPONSE);
        when(refresh.getClientSession()).thenReturn(clientSession);
        return refresh;
    }

    @Test
    void aRefreshOfTheServiceAccountsOwnSessionIsRefusedAndAPersonsIsNot() {
        mode("enforce");
        activeRecord();
        ClientCredentialsConditionFactory condition = new ClientCredentialsConditionFactory();
        assertThat(condition.applyPolicy(refreshOf("uuid"))).isEqualTo(ClientPolicyVote.YES);
        assertThatThrownBy(() -> executor.executeOnEvent(refreshOf("uuid")))
                .isInstanceOfSatisfying(ClientPolicyException.class, e -> {
                    assertThat(e.getError()).isEqualTo("unauthorized_client");
                    assertThat(e.getErrorDetail()).startsWith("nhi_refresh_denied: ");
                });

        assertThat(condition.applyPolicy(refreshOf(null))).isEqualTo(ClientPolicyVote.ABSTAIN);
        assertThat(condition.applyPolicy(refreshOf("another-client"))).isEqualTo(ClientPolicyVote.ABSTAIN);
        // selected for a person's refresh by another condition: still not the executor's to refuse
        assertThatCode(() -> executor.executeOnEvent(refreshOf(null))).doesNotThrowAnyException();
        mode("audit");
        assertThatCode(() -> executor.executeOnEvent(refreshOf("uuid"))).doesNotThrowAnyException();
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
        tokenBuilt();
        verify(store, never()).cachedByClientUuid(any(), any());
        verify(store, never()).noteUsage(any(), any(), any());
    }

    @Test
    void aRegisteredActiveRecordPassesItsUseIsNotedAndItsLifetimeCapped() throws ClientPolicyException {
        mode("enforce");
        activeRecord();
        executor.setupConfiguration(config("max-token-ttl", "60"));
        executor.executeOnEvent(request());
        tokenBuilt();
        verify(store).noteUsage(any(), any(), any());
        assertThat(token.getExp()).isEqualTo(1_060L);
    }

    @Test
    void auditModeLeavesTheTokenAlone() throws ClientPolicyException {
        mode("audit");
        activeRecord();
        executor.setupConfiguration(config("max-token-ttl", "60"));
        executor.executeOnEvent(request());
        tokenBuilt();
        verify(store).noteUsage(any(), any(), any());
        assertThat(token.getExp()).isEqualTo(1_000L + 3600);
    }

    @Test
    void policyConditionsDeny() {
        mode("enforce");
        activeRecord();
        executor.setupConfiguration(config("source-cidrs", List.of("10.0.0.0/8")));
        assertThatThrownBy(() -> executor.executeOnEvent(request())).isInstanceOfSatisfying(
                ClientPolicyException.class, e -> assertThat(e.getErrorDetail()).startsWith("nhi_source_denied: "));
    }

    @Test
    void aStoredInvalidConfigurationFailsClosedWithoutThrowingAtSetup() {
        mode("enforce");
        activeRecord();
        executor.setupConfiguration(config("source-cidrs", "not-an-address"));
        assertThatThrownBy(() -> executor.executeOnEvent(request())).isInstanceOfSatisfying(
                ClientPolicyException.class, e -> assertThat(e.getErrorDetail()).startsWith("nhi_policy_invalid: "));
    }

    /** The refusal of an invalid one needs Keycloak's HTTP runtime: PolicyIT saves one through the admin API. */
    @Test
    void validConfigurationPassesValidationAtSave() {
        assertThat(config("time-windows", "MON-FRI 06:00-20:00").validateConfig()).isTrue();
    }
}
