package dev.nhi.evidence.ship;

import dev.nhi.evidence.core.CanonicalJson;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One page of the auditors' export: a realm's records read back from a sink, filtered, at most {@code max}
 * of them, after reading at most {@code scanLimit} records, so that a call takes bounded time however long
 * the chain is. A page that stopped early says from which {@code seq} the next one goes on.
 */
public final class EvidenceExport {
    /** Records read per call, matching or not: about a second's work at the most. */
    public static final int SCAN_LIMIT = 100_000;

    private EvidenceExport() {
    }

    /** Which records a page holds: null arguments select everything, {@code types} any of them. */
    public static final class Filter {
        private final Instant from;
        private final Instant to;
        private final String clientId;
        private final Set<String> types;
        /** Substrings every matching line holds: most lines of a long chain are rejected without parsing. */
        private final String clientMember;
        private final List<String> typeMembers;

        public Filter(Instant from, Instant to, String clientId, Set<String> types) {
            this.from = from;
            this.to = to;
            this.clientId = clientId;
            this.types = types;
            this.clientMember = clientId == null ? null : CanonicalJson.member("clientId", clientId);
            this.typeMembers = types == null ? null : types.stream().map(t -> CanonicalJson.member("type", t)).toList();
        }

        boolean matches(String line) {
            if (clientMember != null && !line.contains(clientMember)
                    || typeMembers != null && typeMembers.stream().noneMatch(line::contains)) {
                return false;
            }
            Map<?, ?> record = (Map<?, ?>) CanonicalJson.parse(line);
            Instant time = Instant.parse((String) record.get("time"));
            if (from != null && time.isBefore(from) || to != null && time.isAfter(to)) {
                return false;
            }
            if (types != null && !types.contains(record.get("type"))) {
                return false;
            }
            return clientId == null || record.get("subject") instanceof Map<?, ?> subject
                    && clientId.equals(subject.get("clientId"));
        }
    }

    /**
     * The matching records as JSON Lines, exactly as stored. When {@code truncated}, more may match:
     * the next page starts from {@code resumeSeq} (the last record handed out, or the last one read).
     */
    public record Page(String lines, int count, boolean truncated, long resumeSeq) {
    }

    public static Page read(Sink.Readable sink, String realm, Sink.Start start, Filter filter, int max, int scanLimit)
            throws IOException {
        Scan scan = new Scan(filter, max, scanLimit);
        sink.read(realm, start, scan);
        if (scan.unreadable != null) {
            throw new IOException("the record at seq " + scan.resumeSeq + " is not a readable evidence record ("
                    + scan.unreadable + "); nhi-evidence verify names what is wrong with the chain");
        }
        return new Page(scan.lines.toString(), scan.matched, scan.truncated, scan.resumeSeq);
    }

    private static final class Scan implements Sink.Reader {
        private final Filter filter;
        private final int max;
        private final int scanLimit;
        private final StringBuilder lines = new StringBuilder();
        private int matched;
        private int scanned;
        private long lastHandedOut;
        private boolean truncated;
        private long resumeSeq;
        /** Why the record at {@link #resumeSeq} could not be read, when one could not. */
        private String unreadable;

        Scan(Filter filter, int max, int scanLimit) {
            this.filter = filter;
            this.max = max;
            this.scanLimit = scanLimit;
        }

        @Override
        public boolean take(long seq, String line) {
            scanned++;
            boolean matches;
            try {
                matches = filter.matches(line);
            } catch (RuntimeException e) {
                unreadable = String.valueOf(e.getMessage());
                return stop(seq);
            }
            if (matches) {
                if (matched == max) {
                    return stop(lastHandedOut);
                }
                matched++;
                lines.append(line).append('\n');
                lastHandedOut = seq;
            }
            return scanned < scanLimit || stop(seq);
        }

        private boolean stop(long resumeAt) {
            truncated = true;
            resumeSeq = resumeAt;
            return false;
        }
    }
}
