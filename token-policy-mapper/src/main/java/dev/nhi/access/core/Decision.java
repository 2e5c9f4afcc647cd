package dev.nhi.access.core;

/** The outcome of one token request: allowed, or denied with a code and a human-readable reason. */
public record Decision(DenialCode code, String message) {
    public static final Decision ALLOW = new Decision(null, null);

    public static Decision deny(DenialCode code, String message) {
        return new Decision(code, message);
    }

    public boolean allowed() {
        return code == null;
    }

    /** The token endpoint's {@code error_description}: {@code <code>: <text>}. */
    public String description() {
        return code.wire() + ": " + message;
    }
}
