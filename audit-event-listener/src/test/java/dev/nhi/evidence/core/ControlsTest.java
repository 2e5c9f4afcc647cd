package dev.nhi.evidence.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ControlsTest {
    @Test
    void everyContractTypeHasItsRowAndNothingElseDoes() {
        assertThat(Controls.table()).hasSize(19);
        assertThat(Controls.of("grant.approved")).containsExactly("OWASP-NHI5", "CSF-PR.AA-05");
        Controls.table().forEach((type, controls) -> assertThat(controls)
                .allMatch(c -> c.matches("OWASP-NHI(10|[1-9])|CSF-PR\\.AA-0[1-6]")));
        assertThatThrownBy(() -> Controls.of("token.minted")).isInstanceOf(IllegalArgumentException.class);
    }
}
