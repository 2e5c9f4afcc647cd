package dev.nhi.identity.core;

/** How a realm applies access decisions. */
public enum Mode implements WireEnum {
    /** No decisions are made. */
    OFF("off"),
    /** Decisions are made and recorded, tokens are always issued. */
    AUDIT("audit"),
    /** Denials are enforced. */
    ENFORCE("enforce");

    private final String wire;

    Mode(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
