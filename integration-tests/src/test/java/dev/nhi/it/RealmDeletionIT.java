package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.launcher.Database;
import dev.nhi.launcher.RealmAdmin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Deleting a realm leaves none of its rows in the extension's tables, but its chain head. The test reads every
 * table of ours that has a {@code REALM_ID} column, so a table added later without its cleanup fails here.
 * Before the deletion, each of them but the evidence on its way to the sinks holds rows of the realm: the test
 * checks that too, so that it cannot pass by finding nothing. PostgreSQL only (the H2 run excludes the tag):
 * the tables are read from outside Keycloak.
 */
@Tag("database-access")
class RealmDeletionIT extends RealmTest {
    /** Stays: a realm created again with the same id continues its chain. */
    private static final String KEPT = "nhi_evidence_head";
    /** Hold a realm's rows only until they are chained and shipped. */
    private static final List<String> TRANSIENT = List.of("nhi_evidence_outbox", "nhi_evidence");

    RealmDeletionIT() {
        super("deleted", "enforce");
    }

    @Test
    void deletingTheRealmLeavesNoRowOfItInTheExtensionsTablesButItsChainHead() throws Exception {
        String expiring = realm.newClient("expiring");
        RealmAdmin.expect(realm.register(NhiRealm.registration(expiring, Instant.now().plus(5, ChronoUnit.DAYS))), 201,
                "register");
        realm.token(expiring).assertIssued();
        RealmAdmin.expect(realm.configurePolicy(Map.of("elevated-scopes", List.of("address"))), 204, "policy");
        RealmAdmin.expect(realm.rest.post(realm.api("/grants"), realm.userToken(NhiRealm.ADMIN), Map.of("clientId",
                expiring, "scopes", List.of("address"), "durationSeconds", 600, "reason", "cleanup")), 201, "grant");
        try (Mailbox mailbox = Mailbox.of(realm)) {
            Map<String, Integer> before = NhiRealm.await(Duration.ofSeconds(30), () -> rows(),
                    counts -> counts.entrySet().stream().allMatch(e -> TRANSIENT.contains(e.getKey()) || e.getValue() > 0),
                    "rows of the realm in every table (the expiry warning sent, the records chained)");
            assertThat(before).as("the tables read").containsKeys("nhi_record", "nhi_record_version", "nhi_grant",
                    "nhi_grant_version", "nhi_notification", "nhi_evidence_daily", "nhi_evidence_policies", KEPT);
            assertThat(mailbox.received()).as("the expiry warning").isNotEmpty();
        }

        realm.delete();
        Map<String, Integer> after = NhiRealm.await(Duration.ofSeconds(30), () -> rows(),
                counts -> counts.entrySet().stream().allMatch(e -> e.getKey().equals(KEPT) || e.getValue() == 0),
                "no row of the deleted realm, its evidence shipped");
        assertThat(after.get(KEPT)).isEqualTo(1);
    }

    /**
     * A realm deleted while the drain was recording its policies leaves a row that its removal did not find:
     * the next drain forgets the recorded policies of every realm that no longer exists.
     */
    @Test
    void theDrainForgetsThePoliciesRecordedForARealmThatNoLongerExists() throws Exception {
        String gone = UUID.randomUUID().toString();
        Database.FreshPostgres db = (Database.FreshPostgres) env.database();
        try (Connection c = db.connect();
             PreparedStatement insert = c.prepareStatement(
                     "insert into nhi_evidence_policies (profiles, realm_id) values ('nhi', ?)")) {
            insert.setString(1, gone);
            insert.executeUpdate();
        }
        NhiRealm.await(Duration.ofSeconds(30), () -> realm.rowsIn("nhi_evidence_policies", gone), n -> n == 0,
                "the deleted realm's recorded policies forgotten");
    }

    /** The realm's rows per table of the extension that has a {@code REALM_ID} column. */
    private Map<String, Integer> rows() {
        List<String> tables = new ArrayList<>();
        Database.FreshPostgres db = (Database.FreshPostgres) env.database();
        try (Connection c = db.connect();
             PreparedStatement select = c.prepareStatement("select table_name from information_schema.columns"
                     + " where table_schema = current_schema() and column_name = 'realm_id' and table_name like 'nhi\\_%'");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the extension's tables: " + e.getMessage(), e);
        }
        Map<String, Integer> counts = new TreeMap<>();
        tables.forEach(table -> counts.put(table, realm.rowsIn(table)));
        return counts;
    }
}
