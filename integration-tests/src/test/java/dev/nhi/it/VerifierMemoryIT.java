package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.core.ChainVerifierFixture;
import dev.nhi.evidence.core.Checkpoints;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier streams: a chain several times larger than the verifier's whole heap verifies. (A
 * 1-GB chain is the benchmark's; this one keeps the test suite fast.)
 */
class VerifierMemoryIT {
    private static final int RECORDS = 250_000;
    private static final String HEAP = "-Xmx16m";

    @Test
    void aChainLargerThanTheVerifiersHeapVerifies(@TempDir Path dir) throws IOException {
        KeyPair keys = Checkpoints.generate();
        Files.createDirectories(dir.resolve("big"));
        Path segment = dir.resolve("big").resolve(String.format("%020d.jsonl", 1));
        try (BufferedWriter out = Files.newBufferedWriter(segment, StandardCharsets.UTF_8)) {
            ChainVerifierFixture.chain("big", RECORDS, 1000, keys, line -> {
                try {
                    out.write(line);
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.writeString(dir.resolve("nhi-evidence-public-key.pem"), Checkpoints.publicPem(keys.getPublic()));
        assertThat(Files.size(segment)).as("the chain is at least four times the heap").isGreaterThan(64L << 20);

        EvidenceFiles.Verification result = EvidenceFiles.verifier(List.of(HEAP), List.of("--dir", dir.toString()));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("intact");
    }
}
