package dev.nhi.it;

import static dev.nhi.it.NhiRealm.assertIssued;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.launcher.RealmAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Audit mode decides and logs every would-be denial, and issues the token; off mode decides nothing. */
class AuditModeIT extends RealmTest {
    AuditModeIT() {
        super("audit", "audit");
    }

    @Test
    void everyDenialOfEnforceModeIsIssuedAndLogged() throws Exception {
        String unregistered = realm.newClient("unregistered");
        String suspended = realm.registeredClient("suspended");
        RealmAdmin.expect(realm.action(suspended, "suspend", "audit test"), 200, "suspend");
        String decommissioned = realm.registeredClient("decommissioned");
        RealmAdmin.expect(realm.action(decommissioned, "decommission", "audit test"), 200, "decommission");
        // Decommissioning disables the client; enable it again by hand to see what the NHI layer decides.
        String uuid = realm.admin.clientUuid(realm.name, decommissioned);
        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name + "/clients/" + uuid, realm.admin.token(),
                Map.of("enabled", true, "secret", NhiRealm.secretOf(decommissioned))), 204, "re-enable");
        String expired = realm.newClient("expired");
        Instant expiresAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        RealmAdmin.expect(realm.register(NhiRealm.registration(expired, expiresAt)), 201, "register");
        NhiRealm.await(Duration.ofSeconds(10), Instant::now, now -> now.isAfter(expiresAt.plusSeconds(1)), "expiry");

        for (String clientId : new String[] {unregistered, suspended, decommissioned, expired}) {
            assertIssued(realm.token(clientId));
        }
        String log = NhiRealm.await(Duration.ofSeconds(10), () -> read(env), l -> l.contains("client=" + expired
                + " "), "audit log line");
        for (String[] expected : new String[][] {{unregistered, "nhi_unregistered"}, {suspended, "nhi_suspended"},
                {decommissioned, "nhi_decommissioned"}, {expired, "nhi_expired"}}) {
            assertThat(log).containsPattern("realm=" + realm.name + " client=" + expected[0]
                    + " record=\\S+ audit mode, token issued but would be denied: " + expected[1] + ":");
        }
    }

    @Test
    void offModeDecidesNothing() {
        String unregistered = realm.newClient("off");
        realm.settings(Map.of("mode", "off"));
        try {
            assertIssued(realm.token(unregistered));
        } finally {
            realm.settings(Map.of("mode", "audit"));
        }
    }

    private static String read(KeycloakExtension.Env env) {
        try {
            return Files.readString(env.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
