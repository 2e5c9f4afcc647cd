package dev.nhi.it;

import static dev.nhi.it.NhiRealm.assertIssued;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client's default scopes that policy does not allow never reach the token, the response or the event. */
class ScopeNarrowingIT extends RealmTest {
    ScopeNarrowingIT() {
        super("scopes", "enforce");
    }

    @AfterEach
    void unrestricted() {
        RealmAdmin.expect(realm.configurePolicy(Map.of()), 204, "reset policy");
    }

    private static List<String> scopes(String scope) {
        return List.of(scope.split(" "));
    }

    @Test
    void defaultScopesOutsideTheAllowedSetAreRemovedEverywhere() {
        String clientId = realm.registeredClient("narrowed");
        RestClient.Reply before = realm.token(clientId);
        assertIssued(before);
        assertThat(scopes(before.text("scope"))).as("the realm's defaults, to begin with").contains("profile", "email");

        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name, realm.admin.token(),
                Map.of("eventsEnabled", true)), 204, "store events");
        RealmAdmin.expect(realm.configurePolicy(Map.of("allowed-scopes", List.of("email", "phone"))), 204, "policy");
        RestClient.Reply reply = realm.token(clientId);
        assertIssued(reply);
        assertThat(scopes(reply.text("scope"))).contains("email").doesNotContain("profile");
        JsonNode claims = NhiRealm.claims(reply.text("access_token"));
        assertThat(scopes(claims.get("scope").asText())).contains("email").doesNotContain("profile");
        assertThat(claims.has("sub")).as("structural scopes (basic) stay").isTrue();
        assertThat(claims.has("nhi")).as("the nhi scope stays").isTrue();

        JsonNode events = RealmAdmin.expect(realm.rest.get("/admin/realms/" + realm.name
                + "/events?type=CLIENT_LOGIN&client=" + clientId, realm.admin.token()), 200, "events").json();
        assertThat(events).isNotEmpty();
        assertThat(scopes(events.get(0).get("details").get("scope").asText())).contains("email")
                .doesNotContain("profile");
    }

    @Test
    void elevatedDefaultScopesAreRemovedWithoutAGrant() {
        String clientId = realm.registeredClient("elevated-default");
        RealmAdmin.expect(realm.configurePolicy(Map.of("elevated-scopes", List.of("email"))), 204, "policy");
        RestClient.Reply reply = realm.token(clientId);
        assertIssued(reply);
        assertThat(scopes(reply.text("scope"))).contains("profile").doesNotContain("email");
    }
}
