package dev.nhi.identity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordInputTest {
    private static Map<String, Object> valid() {
        Map<String, Object> m = new HashMap<>();
        m.put("clientId", "billing");
        m.put("owner", "alice");
        m.put("purpose", "  exports invoices  ");
        m.put("expiresAt", "2027-01-01T00:00:00Z");
        return m;
    }

    @Test
    void registrationParsesAndTrims() {
        Map<String, Object> m = valid();
        m.put("kind", "ai-agent");
        m.put("provenance", Map.of("system", "terraform"));
        RecordInput in = RecordInput.registration(m);
        assertThat(in.purpose()).isEqualTo("exports invoices");
        assertThat(in.kind()).isEqualTo(NhiKind.AI_AGENT);
        assertThat(in.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(in.provenance().system()).isEqualTo("terraform");
        assertThat(in.environment()).isNull();
    }

    @Test
    void badFieldsAreNamed() {
        assertField(without("owner"), "owner");
        assertField(with("purpose", ""), "purpose");
        assertField(with("purpose", "p".repeat(RecordInput.MAX_PURPOSE + 1)), "purpose");
        assertField(with("expiresAt", "2027-01-01"), "expiresAt");
        assertField(with("kind", "human"), "kind");
        assertField(with("environment", "PROD"), "environment");
        assertField(with("clientId", 7), "clientId");
        assertField(with("provenance", Map.of("system", 1)), "provenance.system");
        assertField(with("id", "x"), "id");
    }

    @Test
    void patchNeedsAtLeastOneChangeableField() {
        assertThatThrownBy(() -> RecordInput.patch(Map.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> RecordInput.patch(Map.of("clientId", "x")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("clientId"));
        assertThat(RecordInput.patch(Map.of("purpose", "new")).purpose()).isEqualTo("new");
    }

    private static Map<String, Object> without(String field) {
        Map<String, Object> m = valid();
        m.remove(field);
        return m;
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> m = valid();
        m.put(field, value);
        return m;
    }

    private static void assertField(Map<String, Object> input, String field) {
        assertThatThrownBy(() -> RecordInput.registration(input)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
