package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An upgrade from the version that kept the drain's recorded policy fingerprints in the realm attribute
 * {@code nhi.evidence.policies}: the changeset moves them into the evidence layer's own table. The restarted
 * drain records no spurious {@code policy.changed}, the realm loses the attribute, and a later change is
 * recorded from the fingerprints recorded before the upgrade. PostgreSQL only (the H2 run excludes the tag):
 * between two runs of the server, the test turns the database back into the earlier version's.
 */
@Tag("database-access")
class PolicyRecordUpgradeIT {
    private static final String ATTRIBUTE = "nhi.evidence.policies";

    @Test
    void theRecordedPoliciesMoveOutOfTheRealmAndAChangeIsRecordedFromThem() throws Exception {
        try (Database.FreshPostgres db = (Database.FreshPostgres) Database.freshPostgres("127.0.0.1", 5432)) {
            OwnServer own = OwnServer.on(db, "upgrade");
            KeycloakServer.Options options = own.options().ports(KeycloakServer.freePort(), KeycloakServer.freePort());
            NhiRealm realm;
            List<JsonNode> before;
            try (KeycloakServer first = KeycloakServer.start(options)) {
                realm = OwnServer.realm(first, db, "upgrade");
                before = NhiRealm.await(Duration.ofSeconds(30), () -> policyChanges(own.evidence(), realm.name),
                        changes -> !changes.isEmpty() && after(changes.get(changes.size() - 1)).contains("nhi:"),
                        "the drain's record of the realm's policy");
            }
            String recorded = after(before.get(before.size() - 1));
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 PreparedStatement attribute = c.prepareStatement("insert into REALM_ATTRIBUTE (NAME, REALM_ID, VALUE)"
                         + " values (?, ?, ?)")) {
                s.execute("drop table NHI_EVIDENCE_POLICIES");
                assertThat(s.executeUpdate("delete from DATABASECHANGELOG_NHI_EVIDEN where ID = '20261130-evidence-policies'"))
                        .as("the changeset's history row").isEqualTo(1);
                attribute.setString(1, ATTRIBUTE);
                attribute.setString(2, realm.id);
                attribute.setString(3, recorded);
                attribute.executeUpdate();
            }

            try (KeycloakServer second = KeycloakServer.start(options)) {
                RealmAdmin.expect(realm.configurePolicy(Map.of("max-token-ttl", "123")), 204, "policy");
                List<JsonNode> changes = NhiRealm.await(Duration.ofSeconds(30), () -> policyChanges(own.evidence(),
                        realm.name), all -> !after(all.get(all.size() - 1)).equals(recorded), "the new policy's record");
                assertThat(changes).as("one record more: the change, none for the upgrade").hasSize(before.size() + 1);
                assertThat(String.join(",", texts(changes.get(changes.size() - 1).path("details").path("before"))))
                        .isEqualTo(recorded);
                assertThat(realm.rest.get("/admin/realms/" + realm.name, realm.admin.token()).json()
                        .path("attributes").has(ATTRIBUTE)).isFalse();

                realm.delete();
                assertThat(realm.rowsIn("NHI_EVIDENCE_POLICIES")).as("the deleted realm's recorded policies").isZero();
            }
        }
    }

    private static List<JsonNode> policyChanges(Path evidence, String realm) {
        return EvidenceFiles.records(evidence.resolve(realm)).stream()
                .filter(r -> r.path("type").asText().equals("policy.changed")).toList();
    }

    private static String after(JsonNode policyChanged) {
        return String.join(",", texts(policyChanged.path("details").path("after")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
