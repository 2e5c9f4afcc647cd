package dev.nhi.evidence.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nhi.evidence.core.ChainVerifierFixture;
import dev.nhi.evidence.core.Checkpoints;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
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

    /**
     * Another process holds the realm's lock file (a node stuck mid-append): a delivery waits a bounded time,
     * then fails without writing, and an interrupted wait ends at once. Once the lock is free, appending goes on.
     */
    @Test
    void aLockHeldByAnotherProcessFailsTheDeliveryAfterABoundedWait() throws Exception {
        List<String> chain = ChainVerifierFixture.chain("acme", 4, 100, Checkpoints.generate());
        FileSink sink = new FileSink(dir, 1_000_000, Duration.ofMillis(300));
        sink.append("acme", 1, chain.subList(0, 2));
        Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), dir.resolve("acme/.lock").toString())
                .redirectErrorStream(true).start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("locked\n");
            assertThatThrownBy(() -> sink.append("acme", 3, chain.subList(2, 5))).isInstanceOf(IOException.class)
                    .hasMessageContaining("is held by another process for more than 300 ms");
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> sink.lastSeq("acme")).isInstanceOf(IOException.class);
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(sink.lastSeq("acme")).isEqualTo(2);
        sink.append("acme", 3, chain.subList(2, 5));
        assertThat(sink.lastSeq("acme")).isEqualTo(5);
    }

    /** Holds the lock file named by its argument until its standard input closes. */
    static final class LockHolder {
        public static void main(String[] args) throws IOException {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                System.out.print("locked\n");
                System.out.flush();
                System.in.readAllBytes();
            }
        }
    }

    /** Two nodes' sinks on one shared directory, each shipping while the drain moves between them. */
    @Test
    void nodesSharingTheDirectorySeeEachOthersRecordsAndNeverWriteOneTwice() throws IOException {
        List<String> chain = ChainVerifierFixture.chain("acme", 10, 100, Checkpoints.generate());
        FileSink nodeA = new FileSink(dir, 1_000_000);
        FileSink nodeB = new FileSink(dir, 1_000_000);
        nodeA.append("acme", 1, chain.subList(0, 3));
        assertThat(nodeA.lastSeq("acme")).isEqualTo(3);
        nodeB.append("acme", 4, chain.subList(3, 6));
        assertThat(nodeA.lastSeq("acme")).as("node A sees what node B appended").isEqualTo(6);
        // a batch node B also shipped, before the records left Keycloak's database: only the rest is written
        nodeA.append("acme", 4, chain.subList(3, 9));
        assertThat(Files.readAllLines(dir.resolve("acme/00000000000000000001.jsonl")))
                .containsExactlyElementsOf(chain.subList(0, 9));
        assertThatThrownBy(() -> nodeB.append("acme", 11, chain.subList(10, 11))).isInstanceOf(IOException.class)
                .hasMessage("the file sink holds seq 9 of realm acme but was handed records from seq 11");
    }

    /** The seqs a read hands out, each checked against the record's own. */
    private static List<Long> seqs(FileSink sink, Sink.Start start, int max) throws IOException {
        List<Long> seqs = new ArrayList<>();
        sink.read("acme", start, (seq, line) -> {
            assertThat(line).contains("\"seq\":" + seq + ",");
            seqs.add(seq);
            return seqs.size() < max;
        });
        return seqs;
    }

    private static List<Long> reversed(List<Long> seqs) {
        List<Long> reversed = new ArrayList<>(seqs);
        Collections.reverse(reversed);
        return reversed;
    }

    @Test
    void readsBackEitherWayFromAnySeqAcrossSegments() throws IOException {
        List<String> chain = ChainVerifierFixture.chain("acme", 40, 100, Checkpoints.generate());
        FileSink sink = new FileSink(dir, 2_000);
        for (int first = 1; first <= chain.size(); first += 3) {
            sink.append("acme", first, chain.subList(first - 1, Math.min(first + 2, chain.size())));
        }
        assertThat(sink.segments("acme")).hasSizeGreaterThan(5);
        List<Long> all = LongStream.rangeClosed(1, 41).boxed().toList();

        assertThat(seqs(sink, Sink.Start.after(0), 100)).containsExactlyElementsOf(all);
        assertThat(seqs(sink, Sink.Start.after(17), 100)).containsExactlyElementsOf(all.subList(17, 41));
        assertThat(seqs(sink, Sink.Start.after(17), 4)).containsExactly(18L, 19L, 20L, 21L);
        assertThat(seqs(sink, Sink.Start.after(41), 100)).isEmpty();
        assertThat(seqs(sink, Sink.Start.before(0), 100)).containsExactlyElementsOf(reversed(all));
        assertThat(seqs(sink, Sink.Start.before(18), 100)).containsExactlyElementsOf(reversed(all.subList(0, 17)));
        assertThat(seqs(sink, Sink.Start.before(18), 3)).containsExactly(17L, 16L, 15L);
        assertThat(seqs(sink, Sink.Start.before(1), 100)).isEmpty();
        assertThat(seqs(new FileSink(dir, 2_000), Sink.Start.after(0), 100)).as("a sink opened afresh").hasSize(41);
        sink.read("other", Sink.Start.before(0), (seq, line) -> {
            throw new AssertionError("a realm without evidence has no records");
        });
    }

    @Test
    void aRecordBeingAppendedIsNotReadBackUntilComplete() throws IOException {
        List<String> chain = ChainVerifierFixture.chain("acme", 4, 100, Checkpoints.generate());
        new FileSink(dir, 1_000_000).append("acme", 1, chain.subList(0, 3));
        Files.writeString(dir.resolve("acme/00000000000000000001.jsonl"), chain.get(3).substring(0, 20),
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        FileSink reader = new FileSink(dir, 1_000_000);
        assertThat(seqs(reader, Sink.Start.after(0), 100)).containsExactly(1L, 2L, 3L);
        assertThat(seqs(reader, Sink.Start.before(0), 100)).containsExactly(3L, 2L, 1L);
    }
}
