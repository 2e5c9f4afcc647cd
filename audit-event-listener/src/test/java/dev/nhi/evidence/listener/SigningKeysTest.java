package dev.nhi.evidence.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.core.Checkpoints;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class SigningKeysTest {
    @Test
    void thePublicKeyIsDerivedFromTheConfiguredPrivateKey() {
        KeyPair pair = Checkpoints.generate();
        assertThat(SigningKeys.publicOf(pair.getPrivate()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }
}
