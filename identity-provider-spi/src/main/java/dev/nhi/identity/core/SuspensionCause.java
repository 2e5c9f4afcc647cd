package dev.nhi.identity.core;

/** Why a record is suspended; decides the denial code a token request gets. */
public enum SuspensionCause implements WireEnum {
    /** Suspended by a person through the API. */
    MANUAL("manual"),
    /** Suspended by the lifecycle sweeper because its owner was disabled or deleted for longer than the grace period. */
    ORPHANED("orphaned");

    private final String wire;

    SuspensionCause(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
