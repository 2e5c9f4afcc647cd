package dev.nhi.identity.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.RecordInput;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;

/**
 * Registers a client created through the admin API with {@code nhi.*} attributes (the way
 * infrastructure-as-code tools create clients). Invalid attributes fail the creation itself with
 * the contract's 400, so no unregistered client is left behind. After registration the record is
 * the source of truth: later attribute edits change nothing.
 */
final class AttributeRegistration {
    private static final Logger LOG = Logger.getLogger(AttributeRegistration.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATED_MARK = "nhi.client-created.";
    /** Client attribute for each registration field. */
    private static final Map<String, String> ATTRIBUTES = Map.of(
            "owner", "nhi.owner",
            "purpose", "nhi.purpose",
            "expiresAt", "nhi.expires-at",
            "kind", "nhi.kind",
            "environment", "nhi.environment",
            "provenance", "nhi.provenance");

    private AttributeRegistration() {
    }

    /** Keycloak publishes the creation before the representation's attributes are applied: remember it. */
    static void created(KeycloakSession session, ClientModel client) {
        session.setAttribute(CREATED_MARK + client.getId(), Boolean.TRUE);
    }

    /** The first update of a client created in this same request carries its attributes. */
    static void updated(KeycloakSession session, ClientModel client) {
        if (session.removeAttribute(CREATED_MARK + client.getId()) == null || !isAdminApiRequest(session)) {
            return;
        }
        try {
            Map<String, Object> fields = new LinkedHashMap<>();
            ATTRIBUTES.forEach((field, attribute) -> {
                String value = client.getAttribute(attribute);
                if (value != null) {
                    fields.put(field, field.equals("provenance") ? provenance(value) : value);
                }
            });
            if (fields.isEmpty()) {
                return;
            }
            fields.put("clientId", client.getClientId());
            new IdentityOperations(session, client.getRealm()).register(RecordInput.registration(fields), actor(session));
        } catch (InvalidInputException e) {
            String attribute = ATTRIBUTES.getOrDefault(e.field().replaceFirst("\\..*", ""), e.field());
            LOG.warnf("realm=%s client=%s creation refused: %s: %s", client.getRealm().getName(),
                    client.getClientId(), attribute, e.getMessage());
            // An error response alone would still commit the half-created client.
            session.getTransactionManager().setRollbackOnly();
            throw new WebApplicationException(Response.status(Response.Status.BAD_REQUEST)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", "invalid_request", "field", attribute, "message", e.getMessage()))
                    .build());
        }
    }

    /** {@code nhi.provenance} is a JSON object ({@code {"system","reference","createdBy"}}) or a system name. */
    private static Object provenance(String value) {
        if (value.strip().startsWith("{")) {
            try {
                return JSON.readValue(value, Map.class);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException("provenance", "nhi.provenance is not a valid JSON object");
            }
        }
        return Map.of("system", value);
    }

    private static boolean isAdminApiRequest(KeycloakSession session) {
        return session.getContext().getHttpRequest() != null
                && session.getContext().getUri().getPath().contains("/admin/realms/");
    }

    /**
     * The admin behind this request. Keycloak's admin API has already verified the bearer token, so
     * its claims can be read as they are; admin tokens are lightweight (no sub), so the user comes from
     * the token's session, or from the service account of the client it was issued to.
     */
    private static Actor actor(KeycloakSession session) {
        String raw = AppAuthManager.extractAuthorizationHeaderToken(session.getContext().getRequestHeaders());
        if (raw == null) {
            return Actor.SYSTEM;
        }
        try {
            AccessToken token = new JWSInput(raw).readJsonContent(AccessToken.class);
            String issuer = token.getIssuer();
            RealmModel realm = issuer == null ? null
                    : session.realms().getRealmByName(issuer.substring(issuer.lastIndexOf('/') + 1));
            UserModel user = realm == null ? null : tokenUser(session, realm, token);
            return user == null ? Actor.SYSTEM : Actor.of(user);
        } catch (JWSInputException e) {
            return Actor.SYSTEM;
        }
    }

    private static UserModel tokenUser(KeycloakSession session, RealmModel realm, AccessToken token) {
        if (token.getSubject() != null) {
            return session.users().getUserById(realm, token.getSubject());
        }
        if (token.getSessionId() != null) {
            UserSessionModel userSession = session.sessions().getUserSession(realm, token.getSessionId());
            if (userSession != null) {
                return userSession.getUser();
            }
        }
        ClientModel client = token.getIssuedFor() == null ? null : realm.getClientByClientId(token.getIssuedFor());
        return client != null && client.isServiceAccountsEnabled() ? session.users().getServiceAccount(client) : null;
    }
}
