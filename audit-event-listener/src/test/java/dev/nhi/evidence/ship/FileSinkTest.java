package dev.nhi.evidence.ship;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.core.ChainVerifierFixture;
import dev.nhi.evidence.core.Checkpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
    @TempDir
    Path dir;

    @Test
    void appendsRotatesAndKnowsItsPositionAfterARestart() throws IOException {
        List<String> chain = ChainVerifierFixture.chain("acme", 20, 100, Checkpoints.generate());
        FileSink sink = new FileSink(dir, 1_000);
        sink.append("acme", 1, chain.subList(0, 5));
        sink.append("acme", 6, chain.subList(5, 21));
        assertThat(sink.segments("acme")).extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000001.jsonl", "00000000000000000006.jsonl");
        assertThat(new FileSink(dir, 1_000).lastSeq("acme")).isEqualTo(21);
        assertThat(new FileSink(dir, 1_000).lastSeq("other")).isZero();
    }

    @Test
    void aTornLastLineIsCutSoThatAppendingContinuesCleanly() throws IOException {
        List<String> chain = ChainVerifierFixture.chain("acme", 4, 100, Checkpoints.generate());
        new FileSink(dir, 1_000_000).append("acme", 1, chain.subList(0, 3));
        Path segment = dir.resolve("acme/00000000000000000001.jsonl");
        Files.writeString(segment, chain.get(3).substring(0, 20), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        FileSink restarted = new FileSink(dir, 1_000_000);
        assertThat(restarted.lastSeq("acme")).isEqualTo(3);
        restarted.append("acme", 4, chain.subList(3, 5));
        assertThat(Files.readAllLines(segment)).containsExactlyElementsOf(chain);
    }
}
