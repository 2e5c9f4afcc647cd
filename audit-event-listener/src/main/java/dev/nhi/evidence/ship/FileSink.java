package dev.nhi.evidence.ship;

import dev.nhi.evidence.core.CanonicalJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The default sink: per realm a folder of JSON Lines segments named by their first {@code seq}, appended
 * and fsync'd before the records leave Keycloak's database, rotated by size. The files are their own
 * cursor: the last line's {@code seq} says what the sink has, read afresh at every call, so a record
 * re-shipped after a crash, or by another node sharing the directory, is skipped rather than written twice.
 * Nodes sharing the directory take turns through a lock file in the realm's folder.
 */
public final class FileSink implements Sink, Sink.Readable {
    private static final String LOCK_FILE = ".lock";
    private static final Duration LOCK_WAIT = Duration.ofSeconds(30);
    private static final long LOCK_POLL_MILLIS = 20;
    private final Path dir;
    private final long segmentBytes;
    private final Duration lockWait;

    public FileSink(Path dir, long segmentBytes) {
        this(dir, segmentBytes, LOCK_WAIT);
    }

    FileSink(Path dir, long segmentBytes, Duration lockWait) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.lockWait = lockWait;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public long lastSeq(String realm) throws IOException {
        Path folder = dir.resolve(realm);
        return Files.isDirectory(folder) ? locked(folder, () -> position(segments(realm))) : 0;
    }

    /**
     * Appends what the realm's files do not hold yet to its current segment (a new one past
     * {@code segmentBytes}) and forces it to disk.
     */
    @Override
    public void append(String realm, long firstSeq, List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        Path folder = dir.resolve(realm);
        Files.createDirectories(folder);
        locked(folder, () -> {
            List<Path> segments = segments(realm);
            long have = position(segments);
            long skip = Math.max(0, have - firstSeq + 1);
            if (skip >= lines.size()) {
                return null;
            }
            long next = firstSeq + skip;
            if (have != 0 && next != have + 1) {
                throw new IOException("the file sink holds seq " + have + " of realm " + realm
                        + " but was handed records from seq " + next);
            }
            Path segment = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            if (segment == null || Files.size(segment) >= segmentBytes) {
                segment = folder.resolve(String.format("%020d.jsonl", next));
            }
            StringBuilder text = new StringBuilder();
            for (String line : lines.subList((int) skip, lines.size())) {
                text.append(line).append('\n');
            }
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            return null;
        });
    }

    /** An action on the realm's files. */
    @FunctionalInterface
    private interface FileAction<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding the realm folder's lock file: another node sharing the directory, or a drain
     * of this one's that overlaps (at shutdown), waits rather than appending or cutting a torn tail meanwhile.
     * The wait is bounded: a lock held longer fails the call, and the delivery retries with backoff.
     */
    private synchronized <T> T locked(Path folder, FileAction<T> action) throws IOException {
        Path lockPath = folder.resolve(LOCK_FILE);
        try (FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long deadline = System.nanoTime() + lockWait.toNanos();
            FileLock lock;
            while ((lock = lockFile.tryLock()) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(lockPath + " is held by another process for more than "
                            + lockWait.toMillis() + " ms");
                }
                try {
                    Thread.sleep(LOCK_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for " + lockPath);
                }
            }
            try (FileLock held = lock) {
                return action.run();
            }
        }
    }

    /** The realm's segments, oldest first (none when the realm has no evidence here). */
    List<Path> segments(String realm) throws IOException {
        Path folder = dir.resolve(realm);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    /**
     * Reads oldest first from the segment holding the record after {@code start}'s seq (a segment's name is
     * its first seq), newest first from the last segment that starts before it. Lines being appended
     * meanwhile are not handed out until they are complete.
     */
    @Override
    public void read(String realm, Start start, Reader reader) throws IOException {
        List<Path> segments = segments(realm);
        if (start.newestFirst()) {
            for (int i = segments.size() - 1; i >= 0; i--) {
                Path segment = segments.get(i);
                if (start.seq() != 0 && firstSeq(segment) >= start.seq()) {
                    continue;
                }
                String last = lastLine(segment);
                if (last == null) {
                    continue;
                }
                // the last line names its seq; the lines before it count down from there
                long[] seq = {seqOf(last, segment) + 1};
                boolean ranOut = SegmentLines.backward(segment, line -> {
                    long current = --seq[0];
                    return !start.admits(current) || reader.take(current, line);
                });
                if (!ranOut) {
                    return;
                }
            }
            return;
        }
        int first = 0;
        while (first + 1 < segments.size() && firstSeq(segments.get(first + 1)) <= start.seq() + 1) {
            first++;
        }
        for (Path segment : segments.subList(first, segments.size())) {
            long[] seq = {firstSeq(segment)};
            boolean ranOut = SegmentLines.forward(segment, line -> {
                long current = seq[0]++;
                return !start.admits(current) || reader.take(current, line);
            });
            if (!ranOut) {
                return;
            }
        }
    }

    private static long firstSeq(Path segment) throws IOException {
        String name = segment.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - ".jsonl".length()));
        } catch (NumberFormatException e) {
            throw new IOException("not a segment of the file sink: " + segment);
        }
    }

    private static long seqOf(String line, Path segment) throws IOException {
        if (!(((Map<?, ?>) CanonicalJson.parse(line)).get("seq") instanceof Long seq)) {
            throw new IOException("the last record of " + segment + " has no seq");
        }
        return seq;
    }

    /** The last seq the realm's segments hold, a torn last line (a crash mid-write) cut off first; under the lock. */
    private static long position(List<Path> segments) throws IOException {
        for (int i = segments.size() - 1; i >= 0; i--) {
            Path segment = segments.get(i);
            cutTornTail(segment);
            String last = lastLine(segment);
            if (last != null) {
                return seqOf(last, segment);
            }
        }
        return 0;
    }

    /** The segment's last complete line, or null when it has none. */
    private static String lastLine(Path segment) throws IOException {
        String[] last = {null};
        SegmentLines.backward(segment, line -> {
            last[0] = line;
            return false;
        });
        return last[0];
    }

    /** Cuts a torn last line (a crash mid-write) off, so that appending continues cleanly. */
    private static void cutTornTail(Path segment) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long end = file.length();
            if (end == 0) {
                return;
            }
            file.seek(end - 1);
            if (file.read() == '\n') {
                return;
            }
            long cut = end - 1;
            while (cut > 0) {
                file.seek(cut - 1);
                if (file.read() == '\n') {
                    break;
                }
                cut--;
            }
            file.setLength(cut);
        }
    }
}
