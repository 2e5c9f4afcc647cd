package dev.nhi.identity.core;

/**
 * Filters for listing records; null means "any". {@code status} is the effective status and
 * {@code flag} is evaluated against the realm settings at query time, so neither depends on the sweeper.
 */
public record RecordQuery(
        NhiStatus status, String ownerId, NhiKind kind, String environment, NhiFlag flag, String search,
        int first, int max) {
    public static final int DEFAULT_MAX = 100;
    public static final int MAX_PAGE = 1000;

    public RecordQuery {
        if (first < 0) {
            throw new InvalidInputException("first", "first must be 0 or more");
        }
        if (max < 1 || max > MAX_PAGE) {
            throw new InvalidInputException("max", "max must be between 1 and " + MAX_PAGE);
        }
    }

    public RecordQuery withOwner(String owner) {
        return new RecordQuery(status, owner, kind, environment, flag, search, first, max);
    }
}
