package dev.nhi.identity.core;

/** A lifecycle transition that the record's current state does not allow (answered 409). */
public final class StateConflictException extends RuntimeException {
    public StateConflictException(String message) {
        super(message);
    }
}
