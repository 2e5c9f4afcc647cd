package dev.nhi.evidence.ship;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Storage outside Keycloak that chained records are shipped to. Each sink is its own cursor: it says
 * which {@code seq} it holds last, and appending what it already holds (after a crash between the append
 * and the trim) changes nothing.
 */
public interface Sink extends Closeable {

    /** The name in the {@code sinks} option and in the status call. */
    String name();

    /** The last {@code seq} the sink holds for the realm (0 when none). */
    long lastSeq(String realm) throws IOException;

    /**
     * Stores records {@code firstSeq, firstSeq + 1, …} of one realm durably before returning.
     *
     * @param lines canonical JSON records in {@code seq} order
     */
    void append(String realm, long firstSeq, List<String> lines) throws IOException;

    /** Releases what the sink keeps open between calls; on shutdown. */
    @Override
    default void close() throws IOException {
    }

    /** A sink whose records can be read back, for the auditors' export. */
    interface Readable {
        /**
         * Hands the realm's records from {@code start} on, each with its {@code seq}, to {@code reader}
         * until it answers false. A read has storage handles of its own: it never holds delivery back.
         */
        void read(String realm, Start start, Reader reader) throws IOException;
    }

    /** Takes the records a read hands out. */
    @FunctionalInterface
    interface Reader {
        /** @return whether to go on */
        boolean take(long seq, String line);
    }

    /**
     * Where a read starts and which way it goes: oldest first from the record after {@code seq}, or newest
     * first from the record before it; {@code seq} 0 starts at the chain's beginning or end.
     */
    record Start(boolean newestFirst, long seq) {
        public Start {
            if (seq < 0) {
                throw new IllegalArgumentException("seq must not be negative: " + seq);
            }
        }

        public static Start after(long seq) {
            return new Start(false, seq);
        }

        public static Start before(long seq) {
            return new Start(true, seq);
        }

        /** Whether a read from here hands out the record {@code seq}. */
        public boolean admits(long recordSeq) {
            return newestFirst ? seq == 0 || recordSeq < seq : recordSeq > seq;
        }
    }
}
