package dev.nhi.access.executor;

import dev.nhi.access.core.TokenCap;
import dev.nhi.access.mapper.NhiTokenPolicyMapper;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.TokenFacts;
import java.time.Instant;
import java.util.Map;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;
import org.keycloak.representations.AccessToken;

/**
 * Finishes a token the executor decided: notes the NHI's use, caps {@code exp} at the cap the executor
 * left (enforce mode), and leaves the token's facts for the evidence layer. Keycloak runs token
 * post-processors for every token it builds, before {@code expires_in} is derived from {@code exp}, and a
 * client admin cannot detach them as they can a mapper. Tokens the executor did not decide pass untouched.
 */
final class TokenLifetime implements TokenPostProcessor {
    /** Client-session note: the executor decided this request (any mode but off). */
    private static final String GOVERNED_NOTE = "nhi.governed";
    /** Client-session note: the tightest {@link TokenCap} of the profiles that allowed the request (enforce mode). */
    private static final String CAP_NOTE = "nhi.token.cap";

    private final KeycloakSession session;

    TokenLifetime(KeycloakSession session) {
        this.session = session;
    }

    static void noteGoverned(AuthenticatedClientSessionModel clientSession) {
        clientSession.setNote(GOVERNED_NOTE, "true");
    }

    static void noteCap(AuthenticatedClientSessionModel clientSession, TokenCap cap) {
        String noted = clientSession.getNote(CAP_NOTE);
        clientSession.setNote(CAP_NOTE, (noted == null ? cap : TokenCap.decode(noted).and(cap)).encode());
    }

    @Override
    public void process(TokenPostProcessorContext context) {
        AuthenticatedClientSessionModel clientSession = context.clientSessionCtx() == null ? null
                : context.clientSessionCtx().getClientSession();
        if (clientSession == null || clientSession.getNote(GOVERNED_NOTE) == null) {
            return;
        }
        ClientModel client = clientSession.getClient();
        session.getProvider(NhiStore.class).noteUsage(client.getRealm(), client.getId(), Instant.now());
        AccessToken token = context.accessToken();
        if (token == null) {
            return;
        }
        String cap = clientSession.getNote(CAP_NOTE);
        if (cap != null && token.getIat() != null) {
            long latest = token.getIat() + TokenCap.decode(cap).ttlFrom(Instant.ofEpochSecond(token.getIat()))
                    .toSeconds();
            if (token.getExp() == null || token.getExp() > latest) {
                token.exp(latest);
            }
        }
        Map<String, Object> facts = TokenFacts.of(session);
        facts.put(TokenFacts.POLICY, clientSession.getNote(NhiTokenPolicyMapper.POLICY_NOTE));
        facts.put(TokenFacts.GRANT, clientSession.getNote(NhiTokenPolicyMapper.GRANT_NOTE));
        facts.put(TokenFacts.EXP, token.getExp());
    }
}
