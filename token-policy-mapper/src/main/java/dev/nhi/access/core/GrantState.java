package dev.nhi.access.core;

import dev.nhi.identity.core.WireEnum;

/** Where a JIT grant stands. {@link #EXPIRED} is never stored: an approved grant is expired once its time is up. */
public enum GrantState implements WireEnum {
    PENDING, APPROVED, DENIED, REVOKED, EXPIRED;

    @Override
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
