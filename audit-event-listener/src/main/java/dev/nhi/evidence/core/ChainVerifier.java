package dev.nhi.evidence.core;

import java.security.PublicKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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

    /** The top-level members the verifier reads; the rest count through the hash only. */
    private static final Set<String> CHECKED = Set.of("v", "seq", "realm", "prev", "hash", "type");

    /** The keys checkpoints may be signed with, by key id. */
    private final Map<String, PublicKey> keys = new LinkedHashMap<>();
    private String realm;
    private long seq;
    private String head = Chain.GENESIS;
    private long checkpoints;
    private long sealedUpTo;
    private Failure failure;

    /**
     * @param keys  the public keys checkpoints may be signed with (each names its own in {@code keyId}): one,
     *              or more after a key was replaced, or where each node of a cluster has its own
     * @param realm the realm expected, or null to take it from the first record
     */
    public ChainVerifier(Collection<PublicKey> keys, String realm) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no public key to check checkpoint signatures with");
        }
        keys.forEach(key -> this.keys.put(Checkpoints.keyId(key), key));
        this.realm = realm;
    }

    /**
     * Checks the next line of the chain; returns the failure (this one or an earlier one), or null. The
     * hash is taken over the line's own text without its {@code hash} member, which for a canonical line is
     * exactly what the writer hashed: the values are not parsed and written again, except a checkpoint's,
     * whose signature is checked. Any other text fails the hash check.
     */
    public Failure accept(String line) {
        if (failure != null) {
            return failure;
        }
        long expected = seq + 1;
        Map<String, Object> top = new HashMap<>();
        StringBuilder body = new StringBuilder(line.length());
        try {
            for (String member : CanonicalJson.members(line)) {
                String name = CanonicalJson.name(member);
                if (CHECKED.contains(name)) {
                    top.put(name, CanonicalJson.parse(member.substring(name.length() + 3)));
                }
                if (!name.equals("hash")) {
                    body.append(body.length() == 0 ? '{' : ',').append(member);
                }
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return fail(expected, "unreadable: " + e.getMessage());
        }
        if (!Long.valueOf(Chain.VERSION).equals(top.get("v"))) {
            return fail(expected, "unknown version " + top.get("v"));
        }
        if (!(top.get("seq") instanceof Long found) || found != expected) {
            return fail(expected, "expected seq " + expected + " but found " + top.get("seq")
                    + " (a record is missing, inserted or out of order)");
        }
        if (realm == null) {
            realm = String.valueOf(top.get("realm"));
        } else if (!realm.equals(top.get("realm"))) {
            return fail(expected, "belongs to realm " + top.get("realm") + ", not " + realm);
        }
        if (!head.equals(top.get("prev"))) {
            return fail(expected, "prev does not match the hash of seq " + seq + " (the chain is broken here)");
        }
        String hash = Chain.sha256(body.append('}').toString());
        if (!hash.equals(top.get("hash"))) {
            return fail(expected, "hash does not match the record's content (the record was altered)");
        }
        if (Checkpoints.TYPE.equals(top.get("type"))) {
            Map<String, Object> checkpoint = CanonicalJson.parse(line) instanceof Map<?, ?> map ? asRecord(map) : Map.of();
            Object keyId = checkpoint.get("details") instanceof Map<?, ?> details ? details.get("keyId") : null;
            PublicKey key = keys.get(keyId);
            if (key == null) {
                return fail(expected, "checkpoint signed with key " + keyId + ", which is not among the keys given ("
                        + String.join(", ", keys.keySet()) + ")");
            }
            if (!Checkpoints.verify(checkpoint, key)) {
                return fail(expected, "checkpoint signature does not verify with key " + keyId
                        + " (the chain up to here differs from what was signed, or the signature is forged)");
            }
            checkpoints++;
            sealedUpTo = expected;
        }
        seq = expected;
        head = hash;
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asRecord(Map<?, ?> map) {
        return (Map<String, Object>) map;
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
