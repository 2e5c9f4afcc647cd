package dev.nhi.evidence.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.core.Checkpoints;
import dev.nhi.evidence.core.ChainVerifierFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceCliTest {
    private static final KeyPair KEYS = Checkpoints.generate();
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int verify(String... args) {
        List<String> all = new ArrayList<>(List.of("verify", "--dir", dir.toString()));
        all.addAll(List.of(args));
        return EvidenceCli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Two realms; acme's chain split over two segments. */
    private void write() throws IOException {
        Files.writeString(dir.resolve(EvidenceCli.PUBLIC_KEY_FILE), Checkpoints.publicPem(KEYS.getPublic()));
        List<String> acme = ChainVerifierFixture.chain("acme", 30, 10, KEYS);
        Files.createDirectories(dir.resolve("acme"));
        Files.write(dir.resolve("acme/00000000000000000001.jsonl"), acme.subList(0, 12));
        Files.write(dir.resolve("acme/00000000000000000013.jsonl"), acme.subList(12, acme.size()));
        Files.createDirectories(dir.resolve("other"));
        Files.write(dir.resolve("other/00000000000000000001.jsonl"), ChainVerifierFixture.chain("other", 3, 10, KEYS));
    }

    @Test
    void intactDirectoriesExitZero() throws IOException {
        write();
        assertThat(verify()).as(output()).isZero();
        assertThat(output()).contains("realm acme: intact, 33 records, 3 checkpoints", "realm other: intact");
        assertThat(verify("--realm", "other")).isZero();
    }

    @Test
    void aTamperedSegmentExitsOneNamingTheSeq() throws IOException {
        write();
        Path segment = dir.resolve("acme/00000000000000000013.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(segment));
        lines.remove(2);
        Files.write(segment, lines);
        assertThat(verify()).isEqualTo(1);
        assertThat(output()).contains("realm acme: BROKEN at seq 15: expected seq 15 but found 16");
    }

    /** After the signing key was replaced: the directory's key file holds both, or each is passed. */
    @Test
    void aChainSealedByTwoKeysNeedsBoth() throws IOException {
        KeyPair replacement = Checkpoints.generate();
        Files.createDirectories(dir.resolve("acme"));
        Files.write(dir.resolve("acme/00000000000000000001.jsonl"), ChainVerifierFixture.chain("acme", 30, 10,
                List.of(KEYS, replacement)));
        Path first = Files.writeString(dir.resolve("first.pem"), Checkpoints.publicPem(KEYS.getPublic()));
        Path second = Files.writeString(dir.resolve("second.pem"), Checkpoints.publicPem(replacement.getPublic()));

        assertThat(verify("--public-key", first.toString())).as(output()).isEqualTo(1);
        assertThat(output()).contains("realm acme: BROKEN at seq 22: checkpoint signed with key "
                + Checkpoints.keyId(replacement.getPublic()) + ", which is not among the keys given ("
                + Checkpoints.keyId(KEYS.getPublic()) + ")");
        out.reset();
        assertThat(verify("--public-key", first.toString(), "--public-key", second.toString())).as(output()).isZero();
        assertThat(output()).contains("checkpoint keys " + Checkpoints.keyId(KEYS.getPublic()) + ", "
                + Checkpoints.keyId(replacement.getPublic()), "realm acme: intact, 33 records, 3 checkpoints");
        Files.writeString(dir.resolve(EvidenceCli.PUBLIC_KEY_FILE), Files.readString(first) + Files.readString(second));
        assertThat(verify()).as(output()).isZero();
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        assertThat(verify()).as("no evidence, no key").isEqualTo(2);
        write();
        assertThat(verify("--colour")).isEqualTo(2);
        assertThat(verify("--public-key", dir.resolve("missing.pem").toString())).isEqualTo(2);
        assertThat(verify("--public-key")).isEqualTo(2);
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello");
        assertThat(verify("--public-key", notAKey.toString())).isEqualTo(2);
        assertThat(output()).contains(notAKey + ": no PEM block 'PUBLIC KEY'");
        assertThat(EvidenceCli.run(new String[] {"check"}, System.out, new PrintStream(out, true,
                StandardCharsets.UTF_8))).isEqualTo(2);
    }
}
