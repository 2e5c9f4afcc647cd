package dev.nhi.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The file sink as an auditor sees it: its records, and the verifier jar run as a separate process. */
final class EvidenceFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvidenceFiles() {
    }

    /** Every record of one realm folder, in order (none when the folder does not exist yet). */
    static List<JsonNode> records(Path realmDir) {
        List<JsonNode> records = new ArrayList<>();
        if (!Files.isDirectory(realmDir)) {
            return records;
        }
        try (Stream<Path> segments = Files.list(realmDir)) {
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

    /** How many records of one type one realm folder holds. */
    static long count(Path realmDir, String type) {
        return records(realmDir).stream().filter(r -> r.path("type").asText().equals(type)).count();
    }

    /**
     * The complete lines of one realm folder, in order, as the sink wrote them; a line the sink is still
     * writing (no newline yet) is left out.
     */
    static List<String> lines(Path realmDir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> segments = Files.list(realmDir)) {
            for (Path segment : segments.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                String text = Files.readString(segment, StandardCharsets.UTF_8);
                lines.addAll(List.of(text.substring(0, text.lastIndexOf('\n') + 1).split("\n")));
            }
        }
        return lines;
    }

    /** The {@code tokenId} of every complete {@code token.issued} line of one realm folder (none before it exists). */
    static Set<String> issuedTokenIds(Path realmDir) {
        Set<String> ids = new HashSet<>();
        if (!Files.isDirectory(realmDir)) {
            return ids;
        }
        try {
            for (String line : lines(realmDir)) {
                JsonNode record = JSON.readTree(line);
                if (record.path("type").asText().equals("token.issued")) {
                    ids.add(record.path("details").path("tokenId").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    record Verification(int exit, String output) {
    }

    /** {@code verify --dir DIR --realm R [extra]}. */
    static Verification verify(Path dir, String realm, String... extra) {
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--realm", realm));
        args.addAll(List.of(extra));
        return verifier(args);
    }

    /** {@code java -jar nhi-evidence-cli.jar verify <args>}, as a separate process, bounded to 60 s. */
    static Verification verifier(List<String> args) {
        return verifier(List.of(), args);
    }

    /** The same with options for the verifier's JVM. */
    static Verification verifier(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("nhi.evidence.jar"), "verify"));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
}
