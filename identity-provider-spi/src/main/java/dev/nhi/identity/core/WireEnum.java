package dev.nhi.identity.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum with a stable lower-case name on the wire and in the database. */
public interface WireEnum {
    String wire();

    /** Parses a wire name, or fails naming the field and the accepted values. */
    static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String field, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.wire().equals(value)) {
                return e;
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants()).map(WireEnum::wire).collect(Collectors.joining(", "));
        throw new InvalidInputException(field, field + " must be one of: " + accepted);
    }
}
