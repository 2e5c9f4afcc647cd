package dev.nhi.evidence.core;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Chains written the way the evidence writer writes them, for the verifier's tests (shared as a test-jar). */
public final class ChainVerifierFixture {
    private ChainVerifierFixture() {
    }

    /** A realm's chain as JSON Lines: records, with a checkpoint after every {@code every} records and at the end. */
    public static List<String> chain(String realm, int records, int every, KeyPair keys) {
        List<String> lines = new ArrayList<>();
        chain(realm, records, every, keys, lines::add);
        return lines;
    }

    /** The same, one line at a time, for chains larger than memory. */
    public static void chain(String realm, int records, int every, KeyPair keys, Consumer<String> lines) {
        chain(realm, records, every, List.of(keys), lines);
    }

    /** The same, the checkpoints signed by each key in turn: as after a key was replaced, or on a cluster. */
    public static List<String> chain(String realm, int records, int every, List<KeyPair> keys) {
        List<String> lines = new ArrayList<>();
        chain(realm, records, every, keys, lines::add);
        return lines;
    }

    private static void chain(String realm, int records, int every, List<KeyPair> keys, Consumer<String> lines) {
        int checkpoints = 0;
        Chain chain = new Chain(realm, 0, null);
        for (int i = 1; i <= records; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", "id-" + i);
            fields.put("time", "2026-11-29T10:00:00Z");
            fields.put("type", "token.issued");
            fields.put("subject", Map.of("clientId", "billing", "n", (long) i));
            fields.put("details", Map.of("scope", "read"));
            fields.put("controls", List.of("OWASP-NHI5", "CSF-PR.AA-05"));
            lines.accept(CanonicalJson.write(chain.append(fields)));
            if (i % every == 0 || i == records) {
                Map<String, Object> checkpoint = new LinkedHashMap<>();
                checkpoint.put("id", "cp-" + i);
                checkpoint.put("time", "2026-11-29T10:00:01Z");
                checkpoint.put("type", Checkpoints.TYPE);
                KeyPair signer = keys.get(checkpoints++ % keys.size());
                checkpoint.put("details", Checkpoints.details(chain, signer.getPrivate(), signer.getPublic()));
                lines.accept(CanonicalJson.write(chain.append(checkpoint)));
            }
        }
    }

}
