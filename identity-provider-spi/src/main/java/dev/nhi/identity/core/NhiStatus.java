package dev.nhi.identity.core;

/** Lifecycle status of a record. {@code DECOMMISSIONED} is terminal. */
public enum NhiStatus implements WireEnum {
    ACTIVE("active"),
    SUSPENDED("suspended"),
    EXPIRED("expired"),
    DECOMMISSIONED("decommissioned");

    private final String wire;

    NhiStatus(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
