package dev.nhi.evidence.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    @Test
    void membersAreSortedByUtf16CodeUnitsWithoutWhitespace() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", 1L);
        value.put("a", List.of(true, false));
        value.put("\u20ac", "euro");
        value.put("\r", "cr");
        value.put("\ud83d\ude00", "emoji");
        value.put("\u00f6", null);
        // RFC 8785 §3.2.3: sorting by UTF-16 code units puts U+20AC before the surrogate pair.
        assertThat(CanonicalJson.write(value)).isEqualTo(
                "{\"\\r\":\"cr\",\"a\":[true,false],\"b\":1,\"\u00f6\":null,\"\u20ac\":\"euro\",\"\ud83d\ude00\":\"emoji\"}");
    }

    @Test
    void stringsEscapeOnlyWhatJsonRequires() {
        assertThat(CanonicalJson.write("\u0000\u001f\"\\/\t\n\u00e9")).isEqualTo("\"\\u0000\\u001f\\\"\\\\/\\t\\n\u00e9\"");
    }

    @Test
    void readingAndWritingAgainGivesTheSameBytes() {
        String canonical = "{\"a\":{\"x\":[1,-2,\"\\u0001\"],\"y\":null},\"b\":\"\\\"q\\\"\"}";
        assertThat(CanonicalJson.write(CanonicalJson.parse(canonical))).isEqualTo(canonical);
        assertThat(CanonicalJson.write(CanonicalJson.parse(" { \"b\" : \"\\\"q\\\"\", \"a\" : {\"y\":null,\"x\":[1, -2,"
                + " \"\\u0001\"]} } "))).isEqualTo(canonical);
    }

    @Test
    void whatCannotBeCanonicalIsRefused() {
        assertThatThrownBy(() -> CanonicalJson.write(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.write(9_007_199_254_740_992L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> CanonicalJson.parse("[1.0]")).hasMessageContaining("integers");
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1} x")).hasMessageContaining("trailing");
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
    }
}
