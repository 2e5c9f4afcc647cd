package dev.nhi.evidence.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.core.Checkpoints;
import dev.nhi.evidence.verify.EvidenceCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
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

    /** Without a configured key, one is generated once and used at every start after; a configured key wins. */
    @Test
    void theKeyIsGeneratedOnceAndAConfiguredOneReplacesIt() throws IOException {
        KeyPair generated = SigningKeys.load(config(null));
        assertThat(data.resolve("keys").resolve(SigningKeys.PRIVATE_FILE)).isRegularFile();
        assertThat(SigningKeys.load(config(null)).getPublic()).isEqualTo(generated.getPublic());

        KeyPair configured = Checkpoints.generate();
        assertThat(SigningKeys.load(config(Checkpoints.privatePem(configured.getPrivate()))).getPublic())
                .isEqualTo(configured.getPublic());
        assertThat(Checkpoints.readPublicKeys(Files.readString(data.resolve("sink").resolve(EvidenceCli.PUBLIC_KEY_FILE))))
                .containsExactly(generated.getPublic(), configured.getPublic());
    }

    /** A node generating its key beside a sink that knows other keys: another node's, or its own lost one. */
    @Test
    void generatingAKeyBesideASinkThatHoldsOthersIsWarnedOf() throws IOException {
        KeyPair other = Checkpoints.generate();
        SigningKeys.publish(data.resolve("sink"), other.getPublic());
        List<LogRecord> logged = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger delivery = java.util.logging.Logger.getLogger("dev.nhi.evidence.delivery");
        delivery.addHandler(handler);
        try {
            SigningKeys.load(config(null));
        } finally {
            delivery.removeHandler(handler);
        }
        assertThat(logged).filteredOn(r -> r.getLevel().intValue() == Level.WARNING.intValue()).extracting(LogRecord::getMessage)
                .singleElement().asString().contains("already holds checkpoints' keys " + Checkpoints.keyId(other.getPublic()))
                .contains("give every node the same signing-key");
    }

    private EvidenceConfig config(String signingKey) {
        return new EvidenceConfig(List.of("file"), data.resolve("sink"), data.resolve("keys"), signingKey,
                Duration.ofSeconds(1), Duration.ofMillis(2), Duration.ofSeconds(60), 1000, 1 << 20, null, null, null,
                null, null, null);
    }

    /** A replaced key's checkpoints stay in the chains: the file sink's key file keeps every key, once each. */
    @Test
    void theFileSinksKeyFileKeepsEveryKeyThatSignedOnce() throws IOException {
        KeyPair first = Checkpoints.generate();
        KeyPair second = Checkpoints.generate();
        assertThat(SigningKeys.publish(data, first.getPublic())).isEmpty();
        assertThat(SigningKeys.publish(data, first.getPublic())).isEmpty();
        assertThat(SigningKeys.publish(data, second.getPublic())).as("the keys the file held before")
                .containsExactly(Checkpoints.keyId(first.getPublic()));
        assertThat(SigningKeys.publish(data, first.getPublic())).isEmpty();
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
