package dev.nhi.evidence.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.core.Checkpoints;
import dev.nhi.evidence.verify.EvidenceCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
    @TempDir
    Path data;

    @Test
    void thePublicKeyIsDerivedFromTheConfiguredPrivateKey() {
        KeyPair pair = Checkpoints.generate();
        assertThat(SigningKeys.publicOf(pair.getPrivate()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    /** A replaced key's checkpoints stay in the chains: the file sink's key file keeps every key, once each. */
    @Test
    void theFileSinksKeyFileKeepsEveryKeyThatSignedOnce() throws IOException {
        KeyPair first = Checkpoints.generate();
        KeyPair second = Checkpoints.generate();
        SigningKeys.publish(data, first.getPublic());
        SigningKeys.publish(data, first.getPublic());
        SigningKeys.publish(data, second.getPublic());
        SigningKeys.publish(data, first.getPublic());
        Path published = data.resolve(EvidenceCli.PUBLIC_KEY_FILE);
        assertThat(Checkpoints.readPublicKeys(Files.readString(published))).extracting(Checkpoints::keyId)
                .containsExactly(Checkpoints.keyId(first.getPublic()), Checkpoints.keyId(second.getPublic()));
    }

    @Test
    void aKeyFileThatIsNotOneIsAppendedTo() throws IOException {
        Path published = Files.writeString(data.resolve(EvidenceCli.PUBLIC_KEY_FILE), "garbage\n");
        KeyPair key = Checkpoints.generate();
        SigningKeys.publish(data, key.getPublic());
        assertThat(Files.readString(published)).startsWith("garbage\n");
        assertThat(Checkpoints.readPublicKeys(Files.readString(published))).extracting(Checkpoints::keyId)
                .containsExactly(Checkpoints.keyId(key.getPublic()));
    }
}
