package dev.nhi.evidence.ship;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

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
        /** Hands the realm's records, in {@code seq} order, to {@code line} until it answers false. */
        void read(String realm, Predicate<String> line) throws IOException;
    }
}
