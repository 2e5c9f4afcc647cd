package dev.nhi.it;

import dev.nhi.evidence.core.CanonicalJson;
import dev.nhi.evidence.core.Chain;
import dev.nhi.evidence.core.Checkpoints;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What someone with write access to a sink can do to one realm's chain, each with the {@code seq} and the
 * words the verifier must answer with. Applied to the lines a real server shipped; each sink's test writes
 * the result back into its own kind of storage and runs the verifier jar on it.
 */
enum Tampering {
    /** The first issued token's record now says it was denied. */
    EDITED_FIELD("altered"),
    /** The second record is gone. */
    DELETED_RECORD("a record is missing"),
    /** The second and third records trade places. */
    SWAPPED_RECORDS("out of order"),
    /** Everything from the last checkpoint that follows an ordinary record is cut off. */
    CUT_TAIL("not sealed by a checkpoint"),
    /** The last checkpoint is re-signed with another key, its hash recomputed to match. */
    FORGED_CHECKPOINT("signature does not verify");

    final String message;

    Tampering(String message) {
        this.message = message;
    }

    /** The tampered chain, and the first {@code seq} the verifier must name. */
    record Result(List<String> lines, long badSeq) {
    }

    Result apply(List<String> chain, PublicKey realKey) {
        List<String> lines = new ArrayList<>(chain);
        switch (this) {
            case EDITED_FIELD -> {
                int at = indexOf(lines, "\"outcome\":\"issued\"");
                lines.set(at, lines.get(at).replace("\"outcome\":\"issued\"", "\"outcome\":\"denied\""));
                return new Result(lines, at + 1);
            }
            case DELETED_RECORD -> {
                lines.remove(1);
                return new Result(lines, 2);
            }
            case SWAPPED_RECORDS -> {
                lines.set(1, chain.get(2));
                lines.set(2, chain.get(1));
                return new Result(lines, 2);
            }
            case CUT_TAIL -> {
                int cut = lines.size() - 1;
                while (cut > 0 && !(isCheckpoint(lines.get(cut)) && !isCheckpoint(lines.get(cut - 1)))) {
                    cut--;
                }
                if (cut == 0) {
                    throw new AssertionError("no checkpoint after an ordinary record in " + chain.size() + " records");
                }
                int sealed = cut - 1;
                while (sealed > 0 && !isCheckpoint(lines.get(sealed - 1))) {
                    sealed--;
                }
                return new Result(new ArrayList<>(lines.subList(0, cut)), sealed + 1);
            }
            case FORGED_CHECKPOINT -> {
                int at = lines.size() - 1;
                while (!isCheckpoint(lines.get(at))) {
                    at--;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> record = (Map<String, Object>) CanonicalJson.parse(lines.get(at));
                Chain before = new Chain((String) record.get("realm"), (Long) record.get("seq") - 1,
                        (String) record.get("prev"));
                // Names the real key, as a forger would, but signs with one of their own.
                record.put("details", Checkpoints.details(before, Checkpoints.generate().getPrivate(), realKey));
                record.put("hash", Chain.hashOf(record));
                lines.set(at, CanonicalJson.write(record));
                return new Result(lines, at + 1);
            }
            default -> throw new IllegalStateException(name());
        }
    }

    private static boolean isCheckpoint(String line) {
        return line.contains("\"type\":\"" + Checkpoints.TYPE + "\"");
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no record contains " + fragment);
    }
}
