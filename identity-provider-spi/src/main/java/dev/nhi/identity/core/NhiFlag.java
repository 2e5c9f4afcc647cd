package dev.nhi.identity.core;

/** Posture findings on a record. Computed from the record, the settings and the clock; never stored. */
public enum NhiFlag implements WireEnum {
    EXPIRING,
    ORPHANED,
    STALE,
    REVIEW_OVERDUE;

    @Override
    public String wire() {
        return name();
    }
}
