package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every call of the identity API by every kind of caller, against the table in the README.
 * Each allowed write gets a fresh record, so each cell is independent of the others.
 */
class AuthorizationMatrixIT extends RealmTest {
    private static final List<String> CALLERS =
            List.of("none", "otherRealmAdmin", "manageClients", "auditor", "owner", "nhiAdmin", "masterAdmin");

    /** Expected status per call, in the order of {@link #CALLERS}. */
    private static final Map<String, int[]> MATRIX = new LinkedHashMap<>();

    static {
        MATRIX.put("list", new int[] {401, 403, 403, 200, 200, 200, 200});
        MATRIX.put("register", new int[] {401, 403, 403, 403, 403, 201, 201});
        MATRIX.put("get", new int[] {401, 403, 403, 200, 200, 200, 200});
        MATRIX.put("patch", new int[] {401, 403, 403, 403, 403, 200, 200});
        MATRIX.put("history", new int[] {401, 403, 403, 200, 200, 200, 200});
        MATRIX.put("suspend", new int[] {401, 403, 403, 403, 403, 200, 200});
        MATRIX.put("resume", new int[] {401, 403, 403, 403, 403, 200, 200});
        MATRIX.put("decommission", new int[] {401, 403, 403, 403, 403, 200, 200});
        MATRIX.put("review", new int[] {401, 403, 403, 403, 200, 200, 200});
        MATRIX.put("report", new int[] {401, 403, 403, 200, 403, 200, 200});
        MATRIX.put("getSettings", new int[] {401, 403, 403, 200, 403, 200, 200});
        MATRIX.put("putSettings", new int[] {401, 403, 403, 403, 403, 200, 200});
        MATRIX.put("setup", new int[] {401, 403, 403, 403, 403, 403, 200});
    }

    private NhiRealm other;
    private final Map<String, String> tokens = new LinkedHashMap<>();

    AuthorizationMatrixIT() {
        super("matrix", "enforce");
    }

    @BeforeAll
    void realms() {
        other = new NhiRealm(env, "other", "enforce");
        String otherAdmin = other.admin.createUser(other.name, "other-admin", NhiRealm.PASSWORD);
        other.admin.grantRealmManagementRole(other.name, otherAdmin, "realm-admin");
        realm.registeredClient("owned");
        tokens.put("otherRealmAdmin", other.userToken("other-admin"));
        tokens.put("manageClients", realm.userToken(NhiRealm.CLIENT_MANAGER));
        tokens.put("auditor", realm.userToken(NhiRealm.AUDITOR));
        tokens.put("owner", realm.userToken(NhiRealm.OWNER));
        tokens.put("nhiAdmin", realm.userToken(NhiRealm.ADMIN));
        tokens.put("masterAdmin", env.rest().adminToken());
    }

    @AfterAll
    void deleteOtherRealm() {
        other.close();
    }

    Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        MATRIX.forEach((call, expected) -> {
            for (int i = 0; i < CALLERS.size(); i++) {
                cells.add(Arguments.of(call, CALLERS.get(i), expected[i]));
            }
        });
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} by {1} -> {2}")
    @MethodSource("cells")
    void callIsAnsweredAsSpecified(String call, String caller, int expected) {
        String token = tokens.get(caller);
        RestClient.Reply reply = calls().get(call).apply(token);
        assertThat(reply.status()).as(call + " by " + caller + ": " + reply.raw()).isEqualTo(expected);
        if (expected == 403 && !caller.equals("otherRealmAdmin")) {
            assertThat(reply.text("error")).isEqualTo("forbidden");
        }
    }

    private Map<String, Function<String, RestClient.Reply>> calls() {
        RestClient rest = env.rest();
        Map<String, Function<String, RestClient.Reply>> calls = new LinkedHashMap<>();
        calls.put("list", t -> rest.get(realm.api("/identities"), t));
        calls.put("register", t -> rest.post(realm.api("/identities"), t, NhiRealm.registration(realm.newClient("m"),
                Instant.now().plus(10, ChronoUnit.DAYS))));
        calls.put("get", t -> rest.get(realm.api("/identities/" + realm.registeredClient("m")), t));
        calls.put("patch", t -> rest.patch(realm.api("/identities/" + realm.registeredClient("m")), t,
                Map.of("purpose", "changed")));
        calls.put("history", t -> rest.get(realm.api("/identities/" + realm.registeredClient("m") + "/history"), t));
        calls.put("suspend", t -> rest.post(realm.api("/identities/" + realm.registeredClient("m") + "/suspend"), t,
                Map.of("reason", "matrix")));
        calls.put("resume", t -> {
            String clientId = realm.registeredClient("m");
            RealmAdmin.expect(realm.action(clientId, "suspend", "matrix"), 200, "suspend first");
            return rest.post(realm.api("/identities/" + clientId + "/resume"), t, Map.of("reason", "matrix"));
        });
        calls.put("decommission", t -> rest.post(realm.api("/identities/" + realm.registeredClient("m")
                + "/decommission"), t, Map.of("reason", "matrix")));
        calls.put("review", t -> rest.post(realm.api("/identities/" + realm.registeredClient("m") + "/review"), t,
                Map.of("decision", "keep")));
        calls.put("report", t -> rest.get(realm.api("/identities/report"), t));
        calls.put("getSettings", t -> rest.get(realm.api("/settings"), t));
        calls.put("putSettings", t -> rest.put(realm.api("/settings"), t, Map.of("staleAfterDays", 90)));
        calls.put("setup", t -> rest.post(realm.api("/setup"), t, Map.of("mode", "enforce")));
        return calls;
    }
}
