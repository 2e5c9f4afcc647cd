package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.evidence.core.Checkpoints;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token decisions reach the file sink, chained and sealed, and the offline verifier accepts exactly that chain. */
class EvidenceIT extends RealmTest {
    EvidenceIT() {
        super("evidence", "enforce");
    }

    private Path realmDir() {
        return KeycloakExtension.Env.evidenceDir().resolve(realm.name);
    }

    private List<JsonNode> records() {
        return EvidenceFiles.records(realmDir());
    }

    private static EvidenceFiles.Verification verify(Path dir, String realmName) {
        return EvidenceFiles.verify(dir, realmName);
    }

    @Test
    void everyTokenAndRefusalIsChainedSealedAndVerifiable() throws Exception {
        String clientId = realm.registeredClient("evidenced");
        List<OAuthClient.Result> tokens = List.of(realm.token(clientId).assertIssued(),
                realm.token(clientId).assertIssued());
        String suspended = realm.registeredClient("refused");
        RealmAdmin.expect(realm.action(suspended, "suspend", "investigation"), 200, "suspend");
        realm.token(suspended).assertDenied("nhi_suspended");

        NhiRealm.await(Duration.ofSeconds(30), () -> verify(KeycloakExtension.Env.evidenceDir(), realm.name),
                v -> v.exit() == 0 && records().stream().filter(r -> r.path("type").asText().startsWith("token.")
                        && List.of(clientId, suspended).contains(r.path("subject").path("clientId").asText()))
                        .count() == 3, "three token records, sealed and verifiable");
        List<JsonNode> records = records();
        for (OAuthClient.Result token : tokens) {
            JsonNode issued = records.stream().filter(r -> r.path("details").path("tokenId").asText()
                    .equals(token.claims().getJWTID())).findFirst().orElseThrow(() -> new AssertionError(
                    "no token.issued for jti " + token.claims().getJWTID() + " in " + records));
            assertThat(issued.get("type").asText()).isEqualTo("token.issued");
            assertThat(issued.get("details").get("exp").asLong())
                    .isEqualTo(token.claims().getExpirationTime().toInstant().getEpochSecond());
            assertThat(issued.get("details").get("scope").asText().split(" "))
                    .containsExactlyInAnyOrderElementsOf(token.scope().toStringList());
            assertThat(issued.get("subject").get("recordId").asText()).isEqualTo(realm.record(clientId).get("id").asText());
            assertThat(issued.get("details").get("authMethod").asText()).isEqualTo("client-secret");
            assertThat(issued.get("details").get("grantType").asText()).isEqualTo("client_credentials");
            assertThat(issued.get("details").get("sourceAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(issued.get("actor").get("ipAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(issued.get("decision").get("policy").asText()).startsWith("nhi:");
            assertThat(issued.get("controls")).extracting(JsonNode::asText).contains("OWASP-NHI5", "CSF-PR.AA-05");
        }
        JsonNode denied = records.stream().filter(r -> r.get("type").asText().equals("token.denied")).findFirst()
                .orElseThrow();
        assertThat(denied.get("subject").get("clientId").asText()).isEqualTo(suspended);
        assertThat(denied.get("decision").get("code").asText()).isEqualTo("nhi_suspended");
        assertThat(denied.get("details").get("authMethod").asText()).isEqualTo("client-secret");
        JsonNode identityRule = denied.get("decision").get("rules").get(0);
        assertThat(identityRule.get("rule").asText()).isEqualTo("identity");
        assertThat(identityRule.get("code").asText()).isEqualTo("nhi_suspended");
        assertThat(denied.get("decision").get("rules")).extracting(r -> r.get("rule").asText())
                .contains("scope", "source", "time", "auth-method", "secret-age", "review");
        assertThat(records.get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(records).anyMatch(r -> r.get("type").asText().equals("checkpoint"));

        // Auditors read it back through the API, filtered, as the exact lines the sink holds.
        RestClient.Reply export = RealmAdmin.expect(realm.rest.get(realm.api("/evidence?type=token.denied&clientId="
                + suspended), realm.userToken(NhiRealm.AUDITOR)), 200, "export");
        assertThat(export.raw().split("\n")).hasSize(1);
        assertThat(export.raw()).contains("\"code\":\"nhi_suspended\"");
        assertThat(export.response().headers().firstValue("X-NHI-Truncated")).contains("false");
        assertThat(realm.rest.get(realm.api("/evidence?from=yesterday"), realm.adminToken()).status()).isEqualTo(400);
        List<Long> issuedSeqs = records.stream().filter(r -> r.path("type").asText().equals("token.issued")
                && r.path("subject").path("clientId").asText().equals(clientId)).map(r -> r.get("seq").asLong()).toList();
        List<String> newestFirst = RealmAdmin.expect(realm.rest.get(realm.api("/evidence?type=token.denied,token.issued"
                + "&order=desc&clientId=" + clientId), realm.adminToken()), 200, "both token types").raw().lines().toList();
        assertThat(newestFirst).hasSize(2);
        assertThat(newestFirst.get(0)).contains("\"seq\":" + issuedSeqs.get(1) + ",");
        assertThat(newestFirst.get(1)).contains("\"seq\":" + issuedSeqs.get(0) + ",");
        ExportPages.assertPagingBothWays(realm, () -> EvidenceFiles.lines(realmDir()));

        // Tokens per day, as the console's dashboard draws them: today has at least this test's three.
        JsonNode days = RealmAdmin.expect(realm.rest.get(realm.api("/evidence/daily?days=3"),
                realm.userToken(NhiRealm.AUDITOR)), 200, "daily").json();
        assertThat(days).hasSize(3);
        assertThat(days.get(2).get("day").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        // summed over the days, so that a run across midnight (UTC) counts the same
        assertThat(days.findValues("issued").stream().mapToLong(JsonNode::asLong).sum()).isGreaterThanOrEqualTo(2);
        assertThat(days.findValues("denied").stream().mapToLong(JsonNode::asLong).sum()).isGreaterThanOrEqualTo(1);
        assertThat(realm.rest.get(realm.api("/evidence/daily?days=0"), realm.adminToken()).status()).isEqualTo(400);

        // The owner (alice) reads the records of an NHI she owns, and nothing else.
        String owner = realm.userToken(NhiRealm.OWNER);
        assertThat(RealmAdmin.expect(realm.rest.get(realm.api("/evidence?clientId=" + suspended), owner), 200,
                "owner's export").raw()).contains("\"code\":\"nhi_suspended\"");
        assertThat(realm.rest.get(realm.api("/evidence"), owner).status()).isEqualTo(403);
        realm.admin.createUser(realm.name, "otto", NhiRealm.PASSWORD);
        String others = realm.registeredClient("others", "otto");
        assertThat(realm.rest.get(realm.api("/evidence?clientId=" + others), owner).status()).isEqualTo(403);
        assertThat(realm.rest.get(realm.api("/evidence?clientId=no-such-client"), owner).status()).isEqualTo(404);
    }

    /** The record is taken from the token as Keycloak signs it, not from what the access layer noted. */
    @Test
    void aTokenTheAccessLayerDidNotDecideIsRecordedAsTheClientReceivedIt() {
        String clientId = realm.registeredClient("undecided");
        realm.withSettings(Map.of("mode", "off"), Map.of("mode", "enforce"), () -> {
            OAuthClient.Result token = realm.token(clientId).assertIssued();
            String jti = token.claims().getJWTID();
            JsonNode issued = NhiRealm.await(Duration.ofSeconds(30), () -> records().stream()
                    .filter(r -> r.path("details").path("tokenId").asText().equals(jti)).findFirst(),
                    Optional::isPresent, "the record of " + jti).orElseThrow();
            assertThat(issued.get("type").asText()).isEqualTo("token.issued");
            assertThat(issued.get("details").get("exp").asLong())
                    .isEqualTo(token.claims().getExpirationTime().toInstant().getEpochSecond());
            assertThat(issued.get("details").get("scope").asText().split(" "))
                    .containsExactlyInAnyOrderElementsOf(token.scope().toStringList());
        });
    }

    @Test
    void everyTamperingOfTheFileSinkIsNamedAtItsSeq(@TempDir Path copies) throws IOException {
        String clientId = realm.registeredClient("tampered");
        realm.token(clientId).assertIssued();
        realm.token(clientId).assertIssued();
        NhiRealm.await(Duration.ofSeconds(30), () -> verify(KeycloakExtension.Env.evidenceDir(), realm.name),
                v -> v.exit() == 0 && records().stream().filter(r -> r.path("type").asText().equals("token.issued")
                        && r.path("subject").path("clientId").asText().equals(clientId)).count() == 2,
                "both tokens sealed and verifiable");
        List<String> chain = EvidenceFiles.lines(realmDir());
        Path key = KeycloakExtension.Env.evidenceDir().resolve("nhi-evidence-public-key.pem");
        PublicKey publicKey = Checkpoints.readPublicKeys(Files.readString(key)).get(0);

        assertThat(verify(writeCopy(copies.resolve("intact"), key, chain), realm.name).exit())
                .as("the untouched copy verifies").isZero();
        for (Tampering tampering : Tampering.values()) {
            Tampering.Result tampered = tampering.apply(chain, publicKey);
            EvidenceFiles.Verification result = verify(writeCopy(copies.resolve(tampering.name()), key,
                    tampered.lines()), realm.name);
            assertThat(result.exit()).as(tampering + ": " + result.output()).isEqualTo(1);
            assertThat(result.output()).as(tampering.name())
                    .contains("BROKEN at seq " + tampered.badSeq()).contains(tampering.message);
        }
    }

    /** A file sink folder holding {@code lines} as the realm's one segment, with the public key beside it. */
    private Path writeCopy(Path dir, Path key, List<String> lines) throws IOException {
        Files.createDirectories(dir.resolve(realm.name));
        Files.copy(key, dir.resolve(key.getFileName()));
        Files.write(dir.resolve(realm.name).resolve(String.format("%020d.jsonl", 1)), lines, StandardCharsets.UTF_8);
        return dir;
    }

    private JsonNode awaitRecord(String type, String subjectKey, String subjectValue) {
        return NhiRealm.await(Duration.ofSeconds(30), () -> records().stream()
                        .filter(r -> r.path("type").asText().equals(type)
                                && r.path("subject").path(subjectKey).asText().equals(subjectValue))
                        .findFirst().orElse(null), r -> r != null, type + " of " + subjectValue);
    }

    @Test
    void identityAndGrantChangesAreRecordedWithActorBeforeAndAfter() {
        String clientId = realm.registeredClient("changed");
        RealmAdmin.expect(realm.action(clientId, "suspend", "leaked secret"), 200, "suspend");
        JsonNode registered = awaitRecord("identity.registered", "clientId", clientId);
        assertThat(registered.get("actor").get("username").asText()).isEqualTo(NhiRealm.ADMIN);
        assertThat(registered.get("details").get("before").isNull()).isTrue();
        JsonNode suspended = awaitRecord("identity.suspended", "clientId", clientId);
        assertThat(suspended.get("details").get("reason").asText()).isEqualTo("leaked secret");
        assertThat(suspended.get("details").get("before").get("status").asText()).isEqualTo("active");
        assertThat(suspended.get("details").get("after").get("status").asText()).isEqualTo("suspended");
        assertThat(suspended.get("seq").asLong()).isGreaterThan(registered.get("seq").asLong());

        String elevated = realm.registeredClient("elevated");
        String grantId = RealmAdmin.expect(realm.rest.post(realm.api("/grants"), realm.userToken(NhiRealm.OWNER),
                Map.of("clientId", elevated, "scopes", List.of("address"), "durationSeconds", 60, "reason", "incident")),
                201, "request").text("id");
        RealmAdmin.expect(realm.rest.post(realm.api("/grants/" + grantId + "/approve"), realm.adminToken(),
                Map.of("comment", "ok")), 200, "approve");
        JsonNode requested = awaitRecord("grant.requested", "grantId", grantId);
        assertThat(requested.get("actor").get("username").asText()).isEqualTo(NhiRealm.OWNER);
        JsonNode approved = awaitRecord("grant.approved", "grantId", grantId);
        assertThat(approved.get("actor").get("username").asText()).isEqualTo(NhiRealm.ADMIN);
        assertThat(approved.get("details").get("after").get("scopes")).extracting(JsonNode::asText).containsExactly("address");
        assertThat(approved.get("controls")).extracting(JsonNode::asText).contains("OWASP-NHI5");
    }

    @Test
    void settingsChangesAreRecordedWithActorBeforeAndAfter() {
        int before = realm.rest.get(realm.api("/settings"), realm.adminToken()).json().get("maxGrantDurationSeconds")
                .asInt();
        realm.withSettings(Map.of("maxGrantDurationSeconds", before + 60), Map.of("maxGrantDurationSeconds", before),
                () -> {
                    // (setup, run by the server's admin when the realm was made, recorded the first change)
                    JsonNode changed = NhiRealm.await(Duration.ofSeconds(30), () -> records().stream()
                            .filter(r -> r.path("type").asText().equals("settings.changed")
                                    && r.path("details").path("after").path("maxGrantDurationSeconds").asInt()
                                    == before + 60).findFirst().orElse(null), r -> r != null, "settings.changed");
                    assertThat(changed.get("subject").get("settings").asText()).isEqualTo(realm.name);
                    assertThat(changed.get("actor").get("username").asText()).isEqualTo(NhiRealm.ADMIN);
                    assertThat(changed.get("details").get("before").get("maxGrantDurationSeconds").asInt())
                            .isEqualTo(before);
                    assertThat(changed.get("details").get("after").get("maxGrantDurationSeconds").asInt())
                            .isEqualTo(before + 60);
                    assertThat(changed.get("controls")).extracting(JsonNode::asText).contains("CSF-PR.AA-05");
                });
        // The restore is a change too; once it has shipped, saving what is already there records nothing.
        NhiRealm.await(Duration.ofSeconds(30), () -> records().stream()
                .filter(r -> r.path("type").asText().equals("settings.changed")
                        && r.path("details").path("after").path("maxGrantDurationSeconds").asInt() == before
                        && r.path("details").path("before").path("maxGrantDurationSeconds").asInt() == before + 60)
                .count(), n -> n == 1, "the restore's settings.changed");
        long recorded = records().stream().filter(r -> r.path("type").asText().equals("settings.changed")).count();
        realm.settings(Map.of("maxGrantDurationSeconds", before));
        // a later record in the same chain: anything recorded before it has been shipped too
        awaitRecord("identity.registered", "clientId", realm.registeredClient("after-settings"));
        assertThat(records().stream().filter(r -> r.path("type").asText().equals("settings.changed")).count())
                .isEqualTo(recorded);
    }

    @Test
    void clientAndPolicyChangesAreRecorded() {
        String clientId = realm.registeredClient("rotated");
        String uuid = realm.admin.clientUuid(realm.name, clientId);
        RealmAdmin.expect(realm.rest.post("/admin/realms/" + realm.name + "/clients/" + uuid + "/client-secret",
                realm.admin.token(), null), 200, "regenerate");
        NhiRealm.await(Duration.ofSeconds(30), () -> records().stream()
                        .filter(r -> r.path("type").asText().equals("client.changed")
                                && r.path("subject").path("clientId").asText().equals(clientId)
                                && r.path("details").path("credentialsRegenerated").asBoolean())
                        .findFirst().orElse(null), r -> r != null, "client.changed for the new secret");

        RealmAdmin.expect(realm.configurePolicy(Map.of("max-token-ttl", "123")), 204, "policy");
        JsonNode changed = NhiRealm.await(Duration.ofSeconds(30), () -> records().stream()
                .filter(r -> r.path("type").asText().equals("policy.changed")
                        && r.path("details").path("after").toString().contains("nhi:"))
                .reduce((a, b) -> b).orElse(null), r -> r != null && !r.path("details").path("before").toString()
                .equals(r.path("details").path("after").toString()), "policy.changed with a new fingerprint");
        assertThat(changed.get("details").get("after").get(0).asText()).matches("nhi:[0-9a-f]{16}");
        assertThat(changed.get("controls")).extracting(JsonNode::asText).contains("CSF-PR.AA-05");
        // what was recorded is kept by the evidence layer: the realm itself stays as its admins left it
        assertThat(RealmAdmin.expect(realm.rest.get("/admin/realms/" + realm.name, realm.admin.token()), 200, "realm")
                .json().path("attributes").has("nhi.evidence.policies")).isFalse();
    }

    @Test
    void statusReportsTheBacklogAndTheSink() {
        realm.token(realm.registeredClient("counted")).assertIssued();
        JsonNode status = NhiRealm.await(Duration.ofSeconds(30), () -> RealmAdmin.expect(realm.rest.get(
                realm.api("/evidence/status"), realm.userToken(NhiRealm.AUDITOR)), 200, "status").json(),
                s -> s.get("unchained").asLong() == 0 && s.get("unshipped").asLong() == 0
                        && s.get("sinks").get("file").get("lastSeq").asLong() == s.get("chainSeq").asLong(),
                "an empty backlog");
        assertThat(status.get("listenerEnabled").asBoolean()).isTrue();
        assertThat(status.get("chainSeq").asLong()).isPositive();
        assertThat(realm.rest.get(realm.api("/evidence/status"), realm.userToken(NhiRealm.OWNER)).status())
                .isEqualTo(403);
    }

    /**
     * A chain keeps the name its realm had at its first record: after a rename, new records go on in the
     * same chain, and the export and status still find them in the sink, under that name.
     */
    @Test
    void aRenamedRealmsEvidenceStaysOneChainThatTheExportStillReads() {
        NhiRealm original = new NhiRealm(env, "renamed", "enforce");
        String clientId = original.registeredClient("kept");
        String before = original.token(clientId).assertIssued().claims().getJWTID();
        Path chainDir = KeycloakExtension.Env.evidenceDir().resolve(original.name);
        NhiRealm.await(Duration.ofSeconds(30), () -> EvidenceFiles.issuedTokenIds(chainDir), ids -> ids.contains(before),
                "the record of the token before the rename");
        String renamed = original.name + "-new";
        RealmAdmin.expect(env.rest().put("/admin/realms/" + original.name, env.admin().token(),
                Map.of("realm", renamed)), 204, "rename");
        try {
            String after = new OAuthClient(URI.create(env.rest().baseUrl()), renamed)
                    .clientCredentials(clientId, NhiRealm.secretOf(clientId)).assertIssued().claims().getJWTID();
            String exportPath = "/admin/realms/" + renamed + "/nhi/evidence?type=token.issued&clientId=" + clientId;
            String exported = NhiRealm.await(Duration.ofSeconds(30), () -> RealmAdmin.expect(env.rest().get(exportPath,
                    env.admin().token()), 200, "export").raw(), lines -> lines.strip().split("\n").length == 2,
                    "both token records in the export");
            assertThat(exported).contains("\"tokenId\":\"" + before + "\"", "\"tokenId\":\"" + after + "\"",
                    "\"realm\":\"" + original.name + "\"");
            assertThat(EvidenceFiles.issuedTokenIds(chainDir)).as("one chain, under the first name")
                    .containsExactlyInAnyOrder(before, after);
            JsonNode status = RealmAdmin.expect(env.rest().get("/admin/realms/" + renamed + "/nhi/evidence/status",
                    env.admin().token()), 200, "status").json();
            assertThat(status.get("sinks").get("file").get("lastSeq").asLong()).isPositive();
            NhiRealm.await(Duration.ofSeconds(30), () -> verify(KeycloakExtension.Env.evidenceDir(), original.name),
                    v -> v.exit() == 0, "the chain across the rename to verify");
        } finally {
            env.admin().deleteRealm(renamed);
        }
    }

    @Test
    void setupEnablesTheListenerAndKeepsTheRealmsOthers() {
        JsonNode listeners = realm.rest.get("/admin/realms/" + realm.name + "/events/config", realm.admin.token()).json()
                .get("eventsListeners");
        assertThat(listeners).extracting(JsonNode::asText).contains("nhi-evidence", "jboss-logging");
        RealmAdmin.expect(realm.rest.post(realm.api("/setup"), realm.admin.token(), Map.of("mode", "enforce")), 200,
                "setup again");
        assertThat(realm.rest.get("/admin/realms/" + realm.name + "/events/config", realm.admin.token()).json()
                .get("eventsListeners")).hasSize(listeners.size());
    }
}
