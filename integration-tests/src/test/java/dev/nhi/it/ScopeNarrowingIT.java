package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
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

    /** The response's {@code scope} and the verified token's {@code scope} claim. */
    private static void assertScopes(OAuthClient.Result result, String present, String absent) {
        assertThat(result.scope().toStringList()).contains(present).doesNotContain(absent);
        assertThat(result.tokenScopes()).contains(present).doesNotContain(absent);
    }

    @Test
    void defaultScopesOutsideTheAllowedSetAreRemovedEverywhere() {
        String clientId = realm.registeredClient("narrowed");
        OAuthClient.Result before = realm.token(clientId).assertIssued();
        assertThat(before.scope().toStringList()).as("the realm's defaults, to begin with").contains("profile", "email");

        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name, realm.admin.token(),
                Map.of("eventsEnabled", true)), 204, "store events");
        RealmAdmin.expect(realm.configurePolicy(Map.of("allowed-scopes", List.of("email", "phone"))), 204, "policy");
        OAuthClient.Result reply = realm.token(clientId).assertIssued();
        assertScopes(reply, "email", "profile");
        assertThat(reply.claims().getSubject()).as("structural scopes (basic) stay").isNotNull();
        assertThat(reply.nhi()).as("the nhi scope stays").isNotNull();

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
        assertScopes(realm.token(clientId).assertIssued(), "profile", "email");
    }
}
