package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.launcher.RealmAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token decisions reach the file sink, chained and sealed, and the offline verifier accepts exactly that chain. */
class EvidenceIT extends RealmTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    EvidenceIT() {
        super("evidence", "enforce");
    }

    private Path realmDir() {
        return KeycloakExtension.Env.evidenceDir().resolve(realm.name);
    }

    private List<JsonNode> records() {
        List<JsonNode> records = new ArrayList<>();
        if (!Files.isDirectory(realmDir())) {
            return records;
        }
        try (Stream<Path> segments = Files.list(realmDir())) {
            for (Path segment : segments.sorted().toList()) {
                for (String line : Files.readAllLines(segment, StandardCharsets.UTF_8)) {
                    records.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** Runs the verifier jar as a separate process, as an auditor would. */
    private static Verification verify(Path dir, String realmName) {
        try {
            Process process = new ProcessBuilder("java", "-jar", System.getProperty("nhi.evidence.jar"), "verify",
                    "--dir", dir.toString(), "--realm", realmName).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the verifier did not finish within 60 s");
            }
            return new Verification(process.exitValue(),
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private record Verification(int exit, String output) {
    }

    @Test
    void everyTokenAndRefusalIsChainedSealedAndVerifiable(@TempDir Path copy) throws IOException {
        String clientId = realm.registeredClient("evidenced");
        List<OAuthClient.Result> tokens = List.of(realm.token(clientId).assertIssued(),
                realm.token(clientId).assertIssued());
        String suspended = realm.registeredClient("refused");
        RealmAdmin.expect(realm.action(suspended, "suspend", "investigation"), 200, "suspend");
        realm.token(suspended).assertDenied("nhi_suspended");

        NhiRealm.await(Duration.ofSeconds(30), () -> verify(KeycloakExtension.Env.evidenceDir(), realm.name),
                v -> v.exit() == 0 && records().stream().filter(r -> r.path("type").asText().startsWith("token."))
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
            assertThat(issued.get("decision").get("policy").asText()).startsWith("nhi:");
            assertThat(issued.get("controls")).extracting(JsonNode::asText).contains("OWASP-NHI5", "CSF-PR.AA-05");
        }
        JsonNode denied = records.stream().filter(r -> r.get("type").asText().equals("token.denied")).findFirst()
                .orElseThrow();
        assertThat(denied.get("subject").get("clientId").asText()).isEqualTo(suspended);
        assertThat(denied.get("decision").get("code").asText()).isEqualTo("nhi_suspended");
        assertThat(records.get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(records.get(records.size() - 1).get("type").asText()).isEqualTo("checkpoint");

        // The same chain with one field edited: the verifier names the record.
        Path source = KeycloakExtension.Env.evidenceDir();
        Files.copy(source.resolve("nhi-evidence-public-key.pem"), copy.resolve("nhi-evidence-public-key.pem"));
        Files.createDirectories(copy.resolve(realm.name));
        try (Stream<Path> segments = Files.list(realmDir())) {
            for (Path segment : segments.toList()) {
                String text = Files.readString(segment).replaceFirst("\"outcome\":\"denied\"", "\"outcome\":\"issued\"");
                Files.writeString(copy.resolve(realm.name).resolve(segment.getFileName()), text);
            }
        }
        Verification tampered = verify(copy, realm.name);
        assertThat(tampered.exit()).as(tampered.output()).isEqualTo(1);
        assertThat(tampered.output()).contains("BROKEN at seq " + denied.get("seq").asLong()).contains("altered");
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
