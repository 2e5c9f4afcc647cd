package dev.nhi.evidence.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainTest {
    /** Values that a naive split on commas, braces or quotes would get wrong. */
    private static Map<String, Object> fields(int n) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", "id-" + n);
        fields.put("time", "2026-11-29T10:00:00Z");
        fields.put("type", "token.denied");
        fields.put("subject", Map.of("clientId", "a,b}{\"c\"", "recordId", "r\\" + n));
        fields.put("actor", Map.of("id", "x", "ipAddress", "::1"));
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("rules", List.of(Map.of("rule", "scope", "message", "[not, allowed]"), Map.of("rule", "time")));
        decision.put("policy", null);
        fields.put("decision", decision);
        fields.put("details", Map.of("exp", 1_800_000_000L + n, "empty", Map.of(), "none", List.of(), "line", "a\nb"));
        fields.put("controls", List.of("OWASP-NHI5", "CSF-PR.AA-05"));
        return fields;
    }

    @Test
    void appendingCanonicalFieldsGivesTheSameBytesAsAppendingTheirMap() {
        Chain fromMaps = new Chain("acme", 0, null);
        Chain fromText = new Chain("acme", 0, null);
        for (int n = 1; n <= 3; n++) {
            String expected = CanonicalJson.write(fromMaps.append(fields(n)));
            assertThat(fromText.appendCanonical(CanonicalJson.write(fields(n)))).isEqualTo(expected);
        }
        assertThat(fromText.seq()).isEqualTo(3);
        assertThat(fromText.head()).isEqualTo(fromMaps.head());
    }

    @Test
    void membersSplitOnlyAtTheTopLevel() {
        String object = CanonicalJson.write(Map.of("b", List.of(1L, Map.of("c", ",")), "a", "x\",y"));
        assertThat(CanonicalJson.members(object)).containsExactly("\"a\":\"x\\\",y\"", "\"b\":[1,{\"c\":\",\"}]");
        assertThat(CanonicalJson.members("{}")).isEmpty();
        assertThat(Arrays.asList("\"a\":1")).extracting(CanonicalJson::name).containsExactly("a");
    }

    @Test
    void fieldsMayNotCarryTheChainsOwnMembers() {
        Map<String, Object> fields = fields(1);
        fields.put("seq", 7L);
        assertThatThrownBy(() -> new Chain("acme", 0, null).appendCanonical(CanonicalJson.write(fields)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
    }
}
