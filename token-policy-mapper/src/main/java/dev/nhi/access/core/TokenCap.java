package dev.nhi.access.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The most a token may live: a lifetime counted from its issue, and an instant it must not outlive (the
 * record's expiry or the grant's, null when neither applies). Decided with the request, applied when the
 * token is built, so that it travels between the two as a client-session note.
 */
public record TokenCap(Duration ttl, Instant end) {
    private static final Duration SHORTEST = Duration.ofSeconds(1);

    /** The tighter of two caps, when several profiles decide one request. */
    public TokenCap and(TokenCap other) {
        return new TokenCap(ttl.compareTo(other.ttl) <= 0 ? ttl : other.ttl,
                end == null ? other.end : other.end == null || end.isBefore(other.end) ? end : other.end);
    }

    /** The lifetime of a token issued at {@code issuedAt}: never below one second, so a token is still valid when it leaves. */
    public Duration ttlFrom(Instant issuedAt) {
        Duration allowed = ttl;
        if (end != null && Duration.between(issuedAt, end).compareTo(allowed) < 0) {
            allowed = Duration.between(issuedAt, end);
        }
        return allowed.compareTo(SHORTEST) < 0 ? SHORTEST : allowed;
    }

    /** As a note: seconds of lifetime, then the end in epoch seconds when there is one. */
    public String encode() {
        return end == null ? Long.toString(ttl.toSeconds()) : ttl.toSeconds() + " " + end.getEpochSecond();
    }

    public static TokenCap decode(String note) {
        int space = note.indexOf(' ');
        return space < 0 ? new TokenCap(Duration.ofSeconds(Long.parseLong(note)), null)
                : new TokenCap(Duration.ofSeconds(Long.parseLong(note.substring(0, space))),
                Instant.ofEpochSecond(Long.parseLong(note.substring(space + 1))));
    }
}
