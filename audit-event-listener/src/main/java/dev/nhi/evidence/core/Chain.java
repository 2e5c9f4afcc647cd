package dev.nhi.evidence.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One realm's hash chain. Each record names the hash of the one before ({@code prev}; the first names
 * {@link #GENESIS}) and carries the SHA-256 of its own canonical JSON without {@code hash}. {@code seq}
 * starts at 1 and has no gaps, so removing, inserting, reordering or editing a record breaks the
 * chain at the first record touched. Not thread-safe: one writer per realm appends.
 */
public final class Chain {
    public static final int VERSION = 1;
    /** The {@code prev} of a realm's first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final Set<String> OWN_MEMBERS = Set.of("v", "realm", "seq", "prev", "hash");

    private final String realm;
    private long seq;
    private String head;

    /** A chain that continues after {@code lastSeq} (0 for a new chain) whose last hash is {@code lastHash}. */
    public Chain(String realm, long lastSeq, String lastHash) {
        this.realm = realm;
        this.seq = lastSeq;
        this.head = lastSeq == 0 ? GENESIS : lastHash;
    }

    /**
     * Links a record into the chain.
     *
     * @param fields {@code id}, {@code time}, {@code type}, {@code subject}, {@code actor}, {@code decision},
     *               {@code details}, {@code controls}; the chain adds {@code v}, {@code realm}, {@code seq},
     *               {@code prev} and {@code hash}
     * @return the complete record
     */
    public Map<String, Object> append(Map<String, Object> fields) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("v", (long) VERSION);
        record.putAll(fields);
        record.put("realm", realm);
        record.put("seq", seq + 1);
        record.put("prev", head);
        String hash = hashOf(record);
        record.put("hash", hash);
        seq++;
        head = hash;
        return record;
    }

    /**
     * {@link #append(Map)} for fields already in canonical JSON, as the outbox stores them: the chain's
     * members are merged in by name, without parsing the record and writing it again.
     *
     * @return the complete record's canonical JSON
     */
    public String appendCanonical(String fields) {
        List<String> members = CanonicalJson.members(fields);
        List<String> names = new ArrayList<>(members.size() + OWN_MEMBERS.size());
        for (String member : members) {
            String name = CanonicalJson.name(member);
            if (OWN_MEMBERS.contains(name)) {
                throw new IllegalArgumentException("the fields may not hold the chain's own member " + name);
            }
            names.add(name);
        }
        insert(members, names, "v", (long) VERSION);
        insert(members, names, "realm", realm);
        insert(members, names, "seq", seq + 1);
        insert(members, names, "prev", head);
        String hash = sha256("{" + String.join(",", members) + "}");
        insert(members, names, "hash", hash);
        seq++;
        head = hash;
        return "{" + String.join(",", members) + "}";
    }

    /** Adds a member where canonical order puts it: {@code members} are sorted, {@code names} are theirs. */
    private static void insert(List<String> members, List<String> names, String name, Object value) {
        int at = 0;
        while (at < names.size() && names.get(at).compareTo(name) < 0) {
            at++;
        }
        members.add(at, CanonicalJson.member(name, value));
        names.add(at, name);
    }

    public long seq() {
        return seq;
    }

    public String head() {
        return head;
    }

    public String realm() {
        return realm;
    }

    /** SHA-256, in lower-case hex, of the canonical JSON of {@code record} without its {@code hash} member. */
    public static String hashOf(Map<String, Object> record) {
        Map<String, Object> body = new LinkedHashMap<>(record);
        body.remove("hash");
        return sha256(CanonicalJson.write(body));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
