package dev.nhi.access.mapper;

import dev.nhi.identity.core.Mode;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.RealmSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;

/**
 * Protocol mapper {@value #PROVIDER_ID}: adds the {@code nhi} claim to a machine identity's access token,
 * {@code {"id", "owner", "kind", "environment", "policy", "grant"}}. It only describes; the lifetime cap
 * is the executor's, so removing this mapper from a client removes the claim and nothing else.
 */
public final class NhiTokenPolicyMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper {
    public static final String PROVIDER_ID = "nhi-token-policy";
    public static final String CLAIM = "nhi";
    /** Client-session note where the executor leaves the policies that decided the request. */
    public static final String POLICY_NOTE = "nhi.policy";
    /** Client-session note where the executor leaves the id of the JIT grant the request uses. */
    public static final String GRANT_NOTE = "nhi.grant";

    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel mapping, KeycloakSession session,
                                            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        ClientModel client = clientSessionCtx.getClientSession().getClient();
        if (userSession.getUser().getServiceAccountClientLink() == null
                || RealmSettings.of(client.getRealm()).mode() == Mode.OFF) {
            return token;
        }
        NhiRecord record = session.getProvider(NhiStore.class).cachedByClientUuid(client.getRealm(), client.getId())
                .orElse(null);
        if (record == null) {
            return token;
        }
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("id", record.id());
        claim.put("owner", record.ownerId());
        claim.put("kind", record.kind().wire());
        claim.put("environment", record.environment());
        claim.put("policy", clientSessionCtx.getClientSession().getNote(POLICY_NOTE));
        claim.put("grant", clientSessionCtx.getClientSession().getNote(GRANT_NOTE));
        token.getOtherClaims().put(CLAIM, claim);
        return token;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "NHI token policy";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the 'nhi' claim (record id, owner, kind, environment, deciding policy) to access tokens of"
                + " registered machine identities.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}
