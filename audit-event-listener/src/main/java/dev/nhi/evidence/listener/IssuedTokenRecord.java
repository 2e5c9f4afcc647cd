package dev.nhi.evidence.listener;

import java.util.concurrent.CompletableFuture;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;
import org.keycloak.representations.AccessToken;

/**
 * Submits a client-credentials token's {@code token.issued} record as soon as the token is final, before
 * Keycloak signs it. The record is written while the request signs the token and builds its response,
 * instead of after; the request still waits for it before it commits ({@link TokenRecordWait}), when
 * the {@code CLIENT_LOGIN} event names the same token. A request that fails after this point leaves a
 * record of a token that never left, as one whose commit fails does.
 */
final class IssuedTokenRecord implements TokenPostProcessor {
    /** Session attribute: the record submitted for this request's token. */
    private static final String SUBMITTED = "nhi.evidence.token.submitted";

    /** A token record on its way to the outbox. */
    private record Submitted(String tokenId, CompletableFuture<Void> stored) {
    }

    private final KeycloakSession session;
    private final NhiEvidenceListenerFactory listener;

    IssuedTokenRecord(KeycloakSession session, NhiEvidenceListenerFactory listener) {
        this.session = session;
        this.listener = listener;
    }

    @Override
    public void process(TokenPostProcessorContext context) {
        AccessToken token = context.accessToken();
        ClientSessionContext clientSessionCtx = context.clientSessionCtx();
        // a disabled nhi-evidence provider records nothing: Keycloak skips a realm's listener it lacks
        if (listener == null || token == null || token.getId() == null || clientSessionCtx == null
                || !TokenEvidence.CLIENT_CREDENTIALS.equals(clientSessionCtx.getAttribute(Constants.GRANT_TYPE,
                String.class))) {
            return;
        }
        ClientModel client = clientSessionCtx.getClientSession().getClient();
        RealmModel realm = client.getRealm();
        if (!NhiEvidenceListenerFactory.enabledIn(realm)) {
            return;
        }
        remember(session, token.getId(), listener.submitTokenRecord(realm,
                TokenEvidence.issued(session, realm, client, token, clientSessionCtx.getScopeString())));
    }

    static void remember(KeycloakSession session, String tokenId, CompletableFuture<Void> stored) {
        session.setAttribute(SUBMITTED, new Submitted(tokenId, stored));
    }

    /**
     * The record submitted for the token that {@code event}, a {@code CLIENT_LOGIN}, reports, taken once;
     * null for any other event, or when none was submitted for that token.
     */
    static CompletableFuture<Void> take(KeycloakSession session, Event event) {
        if (event.getType() != EventType.CLIENT_LOGIN) {
            return null;
        }
        Submitted submitted = (Submitted) session.removeAttribute(SUBMITTED);
        String tokenId = event.getDetails() == null ? null : event.getDetails().get(Details.TOKEN_ID);
        return submitted != null && submitted.tokenId().equals(tokenId) ? submitted.stored() : null;
    }

    @Override
    public void close() {
    }
}
