package dev.nhi.evidence.ship;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The complete lines of a segment file, either way. A tail without its newline is a write in progress
 * (or torn by a crash) and is never handed out; empty lines are skipped. Memory stays within a block
 * and the longest line, whatever the file's size.
 */
final class SegmentLines {
    private static final int BLOCK = 64 * 1024;

    private SegmentLines() {
    }

    /** Hands each line, first to last, to {@code line} until it answers false; true when the file ran out first. */
    static boolean forward(Path file, Predicate<String> line) throws IOException {
        byte[] block = new byte[BLOCK];
        Bytes current = new Bytes();
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(block)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (block[i] == '\n') {
                        current.append(block, start, i);
                        if (!hand(current, line)) {
                            return false;
                        }
                        current.clear();
                        start = i + 1;
                    }
                }
                current.append(block, start, n);
            }
        }
        return true;
    }

    /** Hands each line, last to first, to {@code line} until it answers false; true when the file ran out first. */
    static boolean backward(Path file, Predicate<String> line) throws IOException {
        byte[] block = new byte[BLOCK];
        Bytes current = new Bytes();
        boolean newlineSeen = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = channel.size();
            while (position > 0) {
                int n = (int) Math.min(BLOCK, position);
                position -= n;
                ByteBuffer buffer = ByteBuffer.wrap(block, 0, n);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, position + buffer.position()) < 0) {
                        throw new IOException(file + " shrank while it was read");
                    }
                }
                int end = n;
                for (int i = n - 1; i >= 0; i--) {
                    if (block[i] == '\n') {
                        // the bytes after the last newline are a write in progress: dropped
                        if (newlineSeen) {
                            current.prepend(block, i + 1, end);
                            if (!hand(current, line)) {
                                return false;
                            }
                        }
                        current.clear();
                        newlineSeen = true;
                        end = i;
                    }
                }
                if (newlineSeen) {
                    current.prepend(block, 0, end);
                }
            }
        }
        return !newlineSeen || hand(current, line);
    }

    private static boolean hand(Bytes bytes, Predicate<String> line) {
        return bytes.length == 0 || line.test(bytes.text());
    }

    /** A growable byte buffer, filled at either end. */
    private static final class Bytes {
        private byte[] data = new byte[4096];
        private int length;

        void append(byte[] from, int start, int end) {
            int count = end - start;
            ensure(length + count);
            System.arraycopy(from, start, data, length, count);
            length += count;
        }

        void prepend(byte[] from, int start, int end) {
            int count = end - start;
            ensure(length + count);
            System.arraycopy(data, 0, data, count, length);
            System.arraycopy(from, start, data, 0, count);
            length += count;
        }

        private void ensure(int capacity) {
            if (capacity > data.length) {
                data = Arrays.copyOf(data, Math.max(capacity, data.length * 2));
            }
        }

        void clear() {
            length = 0;
        }

        String text() {
            return new String(data, 0, length, StandardCharsets.UTF_8);
        }
    }
}
