package dev.nhi.evidence.core;

import java.security.PublicKey;
import java.util.Map;

/**
 * Checks one realm's chain record by record, in bounded memory: the version, the realm, {@code seq}
 * without gaps from 1, each {@code prev} against the hash before it, each record's own hash, and every
 * checkpoint's signature. It stops at the first bad record and names its {@code seq}.
 */
public final class ChainVerifier {
    /** What is wrong, and at which {@code seq} (the seq expected there, when the record's own is wrong). */
    public record Failure(long seq, String message) {
        @Override
        public String toString() {
            return "seq " + seq + ": " + message;
        }
    }

    private final PublicKey publicKey;
    private String realm;
    private long seq;
    private String head = Chain.GENESIS;
    private long checkpoints;
    private long sealedUpTo;
    private Failure failure;

    /** @param realm the realm expected, or null to take it from the first record */
    public ChainVerifier(PublicKey publicKey, String realm) {
        this.publicKey = publicKey;
        this.realm = realm;
    }

    /** Checks the next line of the chain; returns the failure (this one or an earlier one), or null. */
    @SuppressWarnings("unchecked")
    public Failure accept(String line) {
        if (failure != null) {
            return failure;
        }
        long expected = seq + 1;
        Map<String, Object> record;
        try {
            if (!(CanonicalJson.parse(line) instanceof Map<?, ?> map)) {
                return fail(expected, "not a JSON object");
            }
            record = (Map<String, Object>) map;
        } catch (IllegalArgumentException e) {
            return fail(expected, "unreadable: " + e.getMessage());
        }
        if (!Long.valueOf(Chain.VERSION).equals(record.get("v"))) {
            return fail(expected, "unknown version " + record.get("v"));
        }
        if (!(record.get("seq") instanceof Long found) || found != expected) {
            return fail(expected, "expected seq " + expected + " but found " + record.get("seq")
                    + " (a record is missing, inserted or out of order)");
        }
        if (realm == null) {
            realm = String.valueOf(record.get("realm"));
        } else if (!realm.equals(record.get("realm"))) {
            return fail(expected, "belongs to realm " + record.get("realm") + ", not " + realm);
        }
        if (!head.equals(record.get("prev"))) {
            return fail(expected, "prev does not match the hash of seq " + seq + " (the chain is broken here)");
        }
        String hash = Chain.hashOf(record);
        if (!hash.equals(record.get("hash"))) {
            return fail(expected, "hash does not match the record's content (the record was altered)");
        }
        if (Checkpoints.TYPE.equals(record.get("type"))) {
            if (!Checkpoints.verify(record, publicKey)) {
                return fail(expected, "checkpoint signature does not verify with key " + Checkpoints.keyId(publicKey)
                        + " (the chain up to here differs from what was signed, or the signature is forged)");
            }
            checkpoints++;
            sealedUpTo = expected;
        }
        seq = expected;
        head = hash;
        return null;
    }

    /**
     * The end of the chain: unless allowed, every record must be sealed by a checkpoint after it (the
     * writer seals at least every 60 s and on shutdown), so a cut tail shows.
     */
    public Failure finish(boolean allowUnsealedTail) {
        if (failure == null && !allowUnsealedTail && sealedUpTo < seq) {
            return fail(sealedUpTo + 1, "records " + (sealedUpTo + 1) + ".." + seq + " are not sealed by a checkpoint"
                    + " (the tail was cut, or was written in the last minute: then verify again)");
        }
        return failure;
    }

    private Failure fail(long at, String message) {
        failure = new Failure(at, message);
        return failure;
    }

    public long records() {
        return seq;
    }

    public long checkpoints() {
        return checkpoints;
    }
}
