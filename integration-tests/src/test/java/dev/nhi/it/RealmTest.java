package dev.nhi.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class with its own realm on the shared server, created before its tests and deleted after. */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RealmTest {
    protected KeycloakExtension.Env env;
    protected NhiRealm realm;
    private final String prefix;
    private final String mode;

    RealmTest(String prefix, String mode) {
        this.prefix = prefix;
        this.mode = mode;
    }

    @BeforeAll
    void createRealm(KeycloakExtension.Env env) {
        this.env = env;
        realm = new NhiRealm(env, prefix, mode);
    }

    @AfterAll
    void deleteRealm() {
        realm.close();
    }

    /** Waits for a line matching {@code regex} in the server log: it reaches the file a little after the response. */
    protected void awaitLogLine(String regex) {
        Pattern line = Pattern.compile(regex);
        NhiRealm.await(Duration.ofSeconds(10), () -> line.matcher(serverLog()).find(), found -> found,
                "log line " + regex);
    }

    private String serverLog() {
        try {
            return Files.readString(env.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
