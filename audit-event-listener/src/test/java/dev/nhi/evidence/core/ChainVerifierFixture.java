package dev.nhi.evidence.core;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Chains written the way the evidence writer writes them, for the verifier's tests. */
public final class ChainVerifierFixture {
    private ChainVerifierFixture() {
    }

    /** A realm's chain as JSON Lines: records, with a checkpoint after every {@code every} records and at the end. */
    public static List<String> chain(String realm, int records, int every, KeyPair keys) {
        Chain chain = new Chain(realm, 0, null);
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= records; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", "id-" + i);
            fields.put("time", "2026-11-29T10:00:00Z");
            fields.put("type", "token.issued");
            fields.put("subject", Map.of("clientId", "billing", "n", (long) i));
            fields.put("details", Map.of("scope", "read"));
            fields.put("controls", List.of("OWASP-NHI5", "CSF-PR.AA-05"));
            lines.add(CanonicalJson.write(chain.append(fields)));
            if (i % every == 0 || i == records) {
                Map<String, Object> checkpoint = new LinkedHashMap<>();
                checkpoint.put("id", "cp-" + i);
                checkpoint.put("time", "2026-11-29T10:00:01Z");
                checkpoint.put("type", Checkpoints.TYPE);
                checkpoint.put("details", Checkpoints.details(chain, keys.getPrivate(), keys.getPublic()));
                lines.add(CanonicalJson.write(chain.append(checkpoint)));
            }
        }
        return lines;
    }

}
