package dev.nhi.evidence.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in the canonical form of RFC 8785 (JCS), for the values evidence holds: objects, arrays,
 * strings, booleans, null and integers. Object members are sorted by their names' UTF-16 code units
 * (Java's natural {@link String} order), there is no whitespace, and strings escape only what JSON
 * requires, with lower-case hex. Fractions and exponents are refused: every number in evidence is a
 * count or a time, and leaving them out avoids RFC 8785's floating-point formatting altogether.
 * The reader parses what the writer writes (and any plain JSON within those types), so a verifier
 * can recompute a record's canonical bytes.
 */
public final class CanonicalJson {
    /** The largest integer every JSON consumer represents exactly (2^53 − 1), as RFC 8785 requires. */
    private static final long MAX_SAFE = 9_007_199_254_740_991L;
    private static final Comparator<Map.Entry<?, ?>> BY_NAME = Comparator.comparing(e -> (String) e.getKey());

    private CanonicalJson() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    /** One object member, {@code "name":value}, as {@link #write} writes it inside an object. */
    public static String member(String name, Object value) {
        StringBuilder out = new StringBuilder(32);
        string(name, out);
        out.append(':');
        write(value, out);
        return out.toString();
    }

    /**
     * The members of an object {@link #write} wrote, each as {@code "name":value}, in order, without
     * reading the values: the chain adds its own members to a stored record without parsing it.
     *
     * @throws IllegalArgumentException when the text is not an object
     */
    public static List<String> members(String object) {
        if (object.length() < 2 || object.charAt(0) != '{' || object.charAt(object.length() - 1) != '}') {
            throw new IllegalArgumentException("not a JSON object");
        }
        List<String> members = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        int start = 1;
        int end = object.length() - 1;
        for (int i = start; i < end; i++) {
            char c = object.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                members.add(object.substring(start, i));
                start = i + 1;
            }
        }
        if (start < end) {
            members.add(object.substring(start, end));
        }
        return members;
    }

    /**
     * The name of a member as {@link #write} writes it.
     *
     * @throws IllegalArgumentException for a name that needed escapes (evidence uses none)
     */
    public static String name(String member) {
        int close = member.indexOf('"', 1);
        String name = close < 1 ? "" : member.substring(1, close);
        if (member.charAt(0) != '"' || close < 1 || name.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("not a plain member name: " + member);
        }
        return name;
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            long n = ((Number) value).longValue();
            if (n > MAX_SAFE || n < -MAX_SAFE) {
                throw new IllegalArgumentException("integer " + n + " is outside the exactly representable range");
            }
            out.append(n);
        } else if (value instanceof Map<?, ?> map) {
            Map.Entry<?, ?>[] sorted = map.entrySet().toArray(new Map.Entry<?, ?>[0]);
            for (Map.Entry<?, ?> e : sorted) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("object member names must be strings");
                }
            }
            Arrays.sort(sorted, BY_NAME);
            out.append('{');
            for (int i = 0; i < sorted.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                string((String) sorted[i].getKey(), out);
                out.append(':');
                write(sorted[i].getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("no canonical JSON for " + value.getClass().getName());
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        int plain = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            // copies the run of characters that need no escape in one go
            out.append(s, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append(s, plain, s.length()).append('"');
    }

    /**
     * Parses one JSON text into maps (insertion-ordered), lists, strings, booleans, null and longs.
     *
     * @throws IllegalArgumentException on malformed input, duplicate names or a non-integer number
     */
    public static Object parse(String text) {
        Reader reader = new Reader(text);
        reader.space();
        Object value = reader.value();
        reader.space();
        if (reader.pos != text.length()) {
            throw reader.error("trailing characters");
        }
        return value;
    }

    private static final class Reader {
        private final String text;
        private int pos;

        Reader(String text) {
            this.text = text;
        }

        Object value() {
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            space();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                space();
                if (peek() != '"') {
                    throw error("expected a member name");
                }
                String name = string();
                space();
                expect(':');
                space();
                if (map.containsKey(name)) {
                    throw error("duplicate member " + name);
                }
                map.put(name, value());
                space();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            space();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                space();
                list.add(value());
                space();
                char c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Long number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                throw error("only integers are accepted");
            }
            String digits = text.substring(start, pos);
            if (digits.isEmpty() || digits.equals("-")) {
                throw error("unexpected character");
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("integer out of range");
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected character");
            }
            pos += word.length();
            return value;
        }

        void space() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private char next() {
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(pos++);
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
        }
    }
}
