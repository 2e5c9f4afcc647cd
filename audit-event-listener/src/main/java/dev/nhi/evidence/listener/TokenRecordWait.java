package dev.nhi.evidence.listener;

import dev.nhi.evidence.ship.NhiEvidenceShipper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;

/**
 * Holds a token request's transaction until its evidence record is in the outbox: the wait runs when the
 * transaction prepares to commit, so a record that could not be written fails the commit, and the
 * response that would have carried the token. Keycloak ignores what an event listener throws; a failed
 * commit it does not.
 */
final class TokenRecordWait extends AbstractKeycloakTransaction {
    /** The longest a token request waits for its record. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CompletableFuture<Void> stored;
    private final String realm;
    private final String clientId;

    TokenRecordWait(CompletableFuture<Void> stored, String realm, String clientId) {
        this.stored = stored;
        this.realm = realm;
        this.clientId = clientId;
    }

    /** Makes the session's transaction wait for {@code stored}; waits at once when there is none to wait in. */
    static void enlist(KeycloakSession session, CompletableFuture<Void> stored, String realm, String clientId) {
        TokenRecordWait wait = new TokenRecordWait(stored, realm, clientId);
        KeycloakTransactionManager transaction = session.getTransactionManager();
        if (transaction.isActive()) {
            transaction.enlistPrepare(wait);
        } else {
            wait.await();
        }
    }

    @Override
    protected void commitImpl() {
        await();
    }

    @Override
    protected void rollbackImpl() {
        // the record stays: it describes what was decided, whether or not the response got out
    }

    private void await() {
        try {
            stored.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof TimeoutException ? "not written within " + TIMEOUT.toSeconds() + " s"
                    : String.valueOf(e.getCause().getMessage());
            NhiEvidenceShipper.DELIVERY.errorf("realm=%s client=%s the token's evidence record could not be written,"
                    + " so the request fails: %s", realm, clientId, why);
            throw new IllegalStateException("the evidence record of this token request could not be written: " + why, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the evidence record of this token request was written", e);
        }
    }
}
