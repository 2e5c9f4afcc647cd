package dev.nhi.evidence.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;

class TokenRecordWaitTest {
    @Test
    void theTransactionCommitsOnceTheRecordIsStored() {
        TokenRecordWait wait = new TokenRecordWait(CompletableFuture.completedFuture(null), "demo", "billing");
        wait.begin();
        wait.commit();
        assertThat(wait.getState()).hasToString("FINISHED");
    }

    @Test
    void aRecordThatCouldNotBeStoredFailsTheCommitAndSoTheResponse() {
        TokenRecordWait wait = new TokenRecordWait(CompletableFuture.failedFuture(new SQLException("connection refused")),
                "demo", "billing");
        wait.begin();
        assertThatThrownBy(wait::commit).isInstanceOf(IllegalStateException.class)
                .hasMessage("the evidence record of this token request could not be written: connection refused");
    }

    @Test
    void theWaitJoinsTheSessionsTransactionWhenThereIsOneAndRunsAtOnceWhenThereIsNot() {
        List<KeycloakTransaction> prepared = new ArrayList<>();
        TokenRecordWait.enlist(session(true, prepared), CompletableFuture.completedFuture(null), "demo", "billing");
        assertThat(prepared).hasSize(1);

        prepared.clear();
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(new SQLException("connection refused"));
        assertThatThrownBy(() -> TokenRecordWait.enlist(session(false, prepared), failed, "demo", "billing"))
                .hasMessageContaining("connection refused");
        assertThat(prepared).isEmpty();
    }

    /** A session whose transaction manager is active or not, and records what is enlisted to prepare. */
    private static KeycloakSession session(boolean active, List<KeycloakTransaction> prepared) {
        KeycloakTransactionManager manager = (KeycloakTransactionManager) Proxy.newProxyInstance(
                TokenRecordWaitTest.class.getClassLoader(), new Class<?>[] {KeycloakTransactionManager.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isActive" -> active;
                    case "enlistPrepare" -> prepared.add((KeycloakTransaction) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (KeycloakSession) Proxy.newProxyInstance(TokenRecordWaitTest.class.getClassLoader(),
                new Class<?>[] {KeycloakSession.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getTransactionManager")) {
                        return manager;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
