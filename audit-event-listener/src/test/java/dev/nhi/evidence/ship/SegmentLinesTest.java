package dev.nhi.evidence.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentLinesTest {
    @TempDir
    Path dir;

    /** Lines of many sizes, one longer than a block, one with characters of several UTF-8 bytes. */
    private static List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            lines.add("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 97) + "\"}");
        }
        lines.add(1_500, "{\"long\":\"" + "y".repeat(150_000) + "\"}");
        lines.add(10, "{\"name\":\"Zoë – 東京 – 🔑\"}");
        return lines;
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("segment.jsonl"), text, StandardCharsets.UTF_8);
    }

    private static List<String> forward(Path file) throws IOException {
        List<String> read = new ArrayList<>();
        assertThat(SegmentLines.forward(file, read::add)).isTrue();
        return read;
    }

    private static List<String> backward(Path file) throws IOException {
        List<String> read = new ArrayList<>();
        assertThat(SegmentLines.backward(file, read::add)).isTrue();
        return read;
    }

    @Test
    void readsEveryLineEitherWayAcrossBlocks() throws IOException {
        List<String> lines = lines();
        Path file = write(String.join("\n", lines) + "\n");
        assertThat(forward(file)).containsExactlyElementsOf(lines);
        List<String> reversed = new ArrayList<>(lines);
        Collections.reverse(reversed);
        assertThat(backward(file)).containsExactlyElementsOf(reversed);
    }

    @Test
    void aTailWithoutItsNewlineIsNeverHandedOut() throws IOException {
        Path file = write("{\"a\":1}\n{\"b\":2}\n{\"c\":");
        assertThat(forward(file)).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(backward(file)).containsExactly("{\"b\":2}", "{\"a\":1}");
        assertThat(forward(write("{\"only\":"))).isEmpty();
        assertThat(backward(write("{\"only\":"))).isEmpty();
        assertThat(forward(write(""))).isEmpty();
        assertThat(backward(write(""))).isEmpty();
    }

    @Test
    void emptyLinesAreSkipped() throws IOException {
        Path file = write("\n{\"a\":1}\n\n{\"b\":2}\n");
        assertThat(forward(file)).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(backward(file)).containsExactly("{\"b\":2}", "{\"a\":1}");
    }

    @Test
    void stopsWhenTheReaderSaysSo() throws IOException {
        Path file = write(String.join("\n", lines()) + "\n");
        List<String> read = new ArrayList<>();
        assertThat(SegmentLines.forward(file, line -> read.add(line) && read.size() < 3)).isFalse();
        assertThat(read).hasSize(3);
        read.clear();
        assertThat(SegmentLines.backward(file, line -> read.add(line) && read.size() < 3)).isFalse();
        assertThat(read).containsExactly("{\"n\":2999,\"pad\":\"" + "x".repeat(2999 % 97) + "\"}",
                "{\"n\":2998,\"pad\":\"" + "x".repeat(2998 % 97) + "\"}",
                "{\"n\":2997,\"pad\":\"" + "x".repeat(2997 % 97) + "\"}");
    }
}
