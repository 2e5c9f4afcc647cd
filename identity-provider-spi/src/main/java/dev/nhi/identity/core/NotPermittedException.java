package dev.nhi.identity.core;

/** The actor may not do this to this object, whatever the input (answered 403), e.g. deciding their own request. */
public final class NotPermittedException extends RuntimeException {
    public NotPermittedException(String message) {
        super(message);
    }
}
