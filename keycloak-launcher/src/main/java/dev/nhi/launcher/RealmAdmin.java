package dev.nhi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds realms through Keycloak's own admin API, as the master administrator. */
public final class RealmAdmin {
    /** The public client through which test and demo users log in (password grant). */
    public static final String LOGIN_CLIENT = "nhi-cli";

    private final RestClient rest;

    public RealmAdmin(RestClient rest) {
        this.rest = rest;
    }

    public RestClient rest() {
        return rest;
    }

    public String token() {
        return rest.adminToken();
    }

    public boolean realmExists(String realm) {
        return rest.get("/admin/realms/" + realm, token()).status() == 200;
    }

    /** A realm with a public login client for its users' tokens. */
    public void createRealm(String realm) {
        expect(rest.post("/admin/realms", token(), Map.of("realm", realm, "enabled", true)), 201, "create realm " + realm);
        Map<String, Object> login = new LinkedHashMap<>();
        login.put("clientId", LOGIN_CLIENT);
        login.put("publicClient", true);
        login.put("directAccessGrantsEnabled", true);
        login.put("standardFlowEnabled", false);
        expect(rest.post("/admin/realms/" + realm + "/clients", token(), login), 201, "create login client");
    }

    public void deleteRealm(String realm) {
        rest.delete("/admin/realms/" + realm, token());
    }

    /** A person with a password and realm roles; returns the user id. */
    public String createUser(String realm, String username, String password, String... realmRoles) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        user.put("email", username + "@example.test");
        user.put("emailVerified", true);
        user.put("firstName", username);
        user.put("lastName", "Example");
        user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        RestClient.Reply created = expect(rest.post("/admin/realms/" + realm + "/users", token(), user), 201,
                "create user " + username);
        String location = created.response().headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        if (realmRoles.length > 0) {
            List<JsonNode> roles = new ArrayList<>();
            for (String role : realmRoles) {
                roles.add(expect(rest.get("/admin/realms/" + realm + "/roles/" + role, token()), 200, "role " + role).json());
            }
            expect(rest.post("/admin/realms/" + realm + "/users/" + id + "/role-mappings/realm", token(), roles), 204,
                    "grant roles to " + username);
        }
        return id;
    }

    /** Grants a role of the realm's {@code realm-management} client (e.g. manage-clients, realm-admin). */
    public void grantRealmManagementRole(String realm, String userId, String role) {
        String clientUuid = clientUuid(realm, "realm-management");
        JsonNode roleRep = expect(rest.get("/admin/realms/" + realm + "/clients/" + clientUuid + "/roles/" + role,
                token()), 200, "role " + role).json();
        expect(rest.post("/admin/realms/" + realm + "/users/" + userId + "/role-mappings/clients/" + clientUuid,
                token(), List.of(roleRep)), 204, "grant " + role);
    }

    /** A confidential client with a service account, secret and extra attributes; returns the raw reply. */
    public RestClient.Reply createServiceClient(String realm, String clientId, String secret,
                                                Map<String, String> attributes) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("secret", secret);
        client.put("publicClient", false);
        client.put("serviceAccountsEnabled", true);
        client.put("standardFlowEnabled", false);
        client.put("attributes", attributes);
        return rest.post("/admin/realms/" + realm + "/clients", token(), client);
    }

    public String clientUuid(String realm, String clientId) {
        JsonNode list = expect(rest.get("/admin/realms/" + realm + "/clients?clientId=" + clientId, token()), 200,
                "find client " + clientId).json();
        if (list.isEmpty()) {
            throw new IllegalStateException("no client " + clientId + " in " + realm);
        }
        return list.get(0).get("id").asText();
    }

    public JsonNode client(String realm, String clientId) {
        return expect(rest.get("/admin/realms/" + realm + "/clients/" + clientUuid(realm, clientId), token()), 200,
                "read client " + clientId).json();
    }

    public static RestClient.Reply expect(RestClient.Reply reply, int status, String what) {
        if (reply.status() != status) {
            throw new IllegalStateException(what + ": expected " + status + ", got " + reply.status() + " " + reply.raw());
        }
        return reply;
    }
}
