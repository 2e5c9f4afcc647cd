package dev.nhi.identity.core;

/** Bad input from a caller: names the offending field so the REST layer can answer 400 with it. */
public final class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
