package dev.nhi.identity.core;

/** What a new version of a record changed. Matches the evidence types {@code identity.<wire>}. */
public enum ChangeType implements WireEnum {
    REGISTERED("registered"),
    UPDATED("updated"),
    OWNER_TRANSFERRED("owner_transferred"),
    SUSPENDED("suspended"),
    RESUMED("resumed"),
    EXPIRED("expired"),
    ORPHANED("orphaned"),
    DECOMMISSIONED("decommissioned"),
    REVIEWED("reviewed");

    private final String wire;

    ChangeType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
