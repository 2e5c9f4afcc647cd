package dev.nhi.it;

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
}
