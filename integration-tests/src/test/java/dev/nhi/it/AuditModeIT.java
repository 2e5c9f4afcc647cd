package dev.nhi.it;

import dev.nhi.launcher.RealmAdmin;
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
    void everyDenialOfEnforceModeIsIssuedAndLogged() {
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
            realm.token(clientId).assertIssued();
        }
        for (String[] expected : new String[][] {{unregistered, "nhi_unregistered"}, {suspended, "nhi_suspended"},
                {decommissioned, "nhi_decommissioned"}, {expired, "nhi_expired"}}) {
            awaitLogLine(realm.auditLine(expected[0], expected[1]));
        }
    }

    @Test
    void offModeDecidesNothing() {
        String unregistered = realm.newClient("off");
        realm.withSettings(Map.of("mode", "off"), Map.of("mode", "audit"),
                () -> realm.token(unregistered).assertIssued());
    }
}
