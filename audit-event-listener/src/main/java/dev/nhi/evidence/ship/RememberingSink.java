package dev.nhi.evidence.ship;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A sink that reads its position once per realm (from its own storage) and then remembers it as it appends. */
abstract class RememberingSink implements Sink {
    private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();

    @Override
    public final long lastSeq(String realm) throws IOException {
        Long known = lastSeq.get(realm);
        if (known == null) {
            known = readLastSeq(realm);
            lastSeq.put(realm, known);
        }
        return known;
    }

    /** The position as the sink's storage holds it (0 when none). */
    protected abstract long readLastSeq(String realm) throws IOException;

    /** The sink now durably holds records up to {@code seq}. */
    protected final void advanced(String realm, long seq) {
        lastSeq.put(realm, seq);
    }
}
