package dev.nhi.identity.core;

/** An unknown client or record (answered 404). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
