package dev.nhi.evidence.ship;

import dev.nhi.evidence.core.CanonicalJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The default sink: per realm a folder of JSON Lines segments named by their first {@code seq}, appended
 * and fsync'd before the records leave Keycloak's database, rotated by size. The files are their own
 * cursor: the last line's {@code seq} says what the sink has, so a record re-shipped after a crash is
 * skipped rather than written twice.
 */
public final class FileSink extends RememberingSink implements Sink.Readable {
    private final Path dir;
    private final long segmentBytes;

    public FileSink(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    @Override
    public String name() {
        return "file";
    }

    /** Appends to the realm's current segment (a new one past {@code segmentBytes}) and forces it to disk. */
    @Override
    public void append(String realm, long firstSeq, List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        Path folder = dir.resolve(realm);
        Files.createDirectories(folder);
        Path segment = currentSegment(folder);
        if (segment == null || Files.size(segment) >= segmentBytes) {
            segment = folder.resolve(String.format("%020d.jsonl", firstSeq));
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
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
        advanced(realm, firstSeq + lines.size() - 1);
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

    @Override
    public void read(String realm, Predicate<String> line) throws IOException {
        for (Path segment : segments(realm)) {
            try (BufferedReader reader = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
                String next;
                while ((next = reader.readLine()) != null) {
                    if (!next.isEmpty() && !line.test(next)) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    protected long readLastSeq(String realm) throws IOException {
        Path folder = dir.resolve(realm);
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        List<Path> newestFirst;
        try (Stream<Path> files = Files.list(folder)) {
            newestFirst = files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .sorted(Comparator.reverseOrder()).toList();
        }
        for (Path segment : newestFirst) {
            String last = lastLine(segment);
            if (last != null) {
                if (!(((Map<?, ?>) CanonicalJson.parse(last)).get("seq") instanceof Long seq)) {
                    throw new IOException("the last record of " + segment + " has no seq");
                }
                return seq;
            }
        }
        return 0;
    }

    private static Path currentSegment(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).max(Path::compareTo).orElse(null);
        }
    }

    /** The last complete line; a torn last line (a crash mid-write) is cut off so that appending continues cleanly. */
    private static String lastLine(Path segment) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long end = file.length();
            if (end > 0) {
                file.seek(end - 1);
                if (file.read() != '\n') {
                    long cut = end - 1;
                    while (cut > 0) {
                        file.seek(cut - 1);
                        if (file.read() == '\n') {
                            break;
                        }
                        cut--;
                    }
                    file.setLength(cut);
                    end = cut;
                }
            }
            if (end == 0) {
                return null;
            }
            long start = end - 1;
            while (start > 0) {
                file.seek(start - 1);
                if (file.read() == '\n') {
                    break;
                }
                start--;
            }
            byte[] line = new byte[(int) (end - 1 - start)];
            file.seek(start);
            file.readFully(line);
            return new String(line, StandardCharsets.UTF_8);
        }
    }
}
