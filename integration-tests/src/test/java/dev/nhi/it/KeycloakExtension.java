package dev.nhi.it;

import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the real Keycloak distribution with our jar once per test run and shares it with every
 * test class; stops it (and drops its PostgreSQL database) when the run ends. The database comes from
 * the system property {@code nhi.it.db} ({@code h2} or {@code postgres}); PostgreSQL must be reachable
 * at 127.0.0.1:5432 (there is no skip: a missing database fails the run).
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver {
    /** Short intervals so that tests observe sweeps and usage flushes within seconds. */
    static final int SWEEP_INTERVAL_SECONDS = 1;

    @Override
    public void beforeAll(ExtensionContext context) {
        environment(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Env.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return environment(context);
    }

    private static Env environment(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Env.class, k -> Env.start(), Env.class);
    }

    /** The running server and the clients to reach it; JUnit closes it at the end of the run. */
    public record Env(KeycloakServer server, Database database, RealmAdmin admin) implements AutoCloseable {

        static Env start() {
            String db = System.getProperty("nhi.it.db", "h2");
            try {
                Database database = switch (db) {
                    case "h2" -> Database.h2InMemory();
                    case "postgres" -> Database.freshPostgres("127.0.0.1", 5432);
                    default -> throw new IllegalArgumentException("nhi.it.db must be h2 or postgres, not " + db);
                };
                KeycloakServer server = KeycloakServer.start(KeycloakServer.Options.fromSystemProperties()
                        .database(database)
                        // Dev mode listens on localhost only (IPv4 here): the wildcard takes IPv6 loopback too,
                        // so that PolicyIT can connect from ::1 as well as from 127.0.0.1.
                        .option("http-host", "::")
                        .option("spi-events-listener--nhi-lifecycle--sweep-interval", String.valueOf(SWEEP_INTERVAL_SECONDS))
                        .option("spi-nhi-store--nhi-jpa--usage-flush-interval", "1")
                        .option("spi-events-listener--nhi-evidence--file-dir", evidenceDir().toString())
                        .option("spi-events-listener--nhi-evidence--checkpoint-interval", "1"));
                return new Env(server, database, new RealmAdmin(new RestClient(server.baseUrl())));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start Keycloak on " + db + " (work dir "
                        + System.getProperty("nhi.work.dir") + "): " + e.getMessage(), e);
            }
        }

        /** The file sink's directory: one folder per realm, and the public key of the checkpoints. */
        static Path evidenceDir() {
            return Path.of(System.getProperty("nhi.work.dir")).resolve("evidence");
        }

        public RestClient rest() {
            return admin.rest();
        }

        public Path log() {
            return server.log();
        }

        @Override
        public void close() throws Exception {
            try {
                server.close();
            } finally {
                database.close();
            }
        }
    }
}
