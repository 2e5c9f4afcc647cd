package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A Keycloak server of one test's own, beside the shared one: for tests that kill it or give it sinks
 * the shared server does not have. Its evidence goes to {@link #evidence}, sealed every second.
 */
record OwnServer(Path evidence, KeycloakServer.Options options) {

    /** Options for a server in a fresh work directory on {@code db}; add the test's own before starting. */
    static OwnServer on(Database db, String prefix) {
        Path work = Path.of(System.getProperty("nhi.work.dir")).resolve(prefix + "-" + UUID.randomUUID().toString()
                .substring(0, 8));
        Path evidence = work.resolve("evidence");
        return new OwnServer(evidence, new KeycloakServer.Options(Path.of(System.getProperty("nhi.dist.zip")),
                Path.of(System.getProperty("nhi.provider.jar")), work)
                .database(db)
                .option("spi-events-listener--nhi-evidence--file-dir", evidence.toString())
                .option("spi-events-listener--nhi-evidence--checkpoint-interval", "1"));
    }

    /** The database of the run: PostgreSQL in the PostgreSQL run, H2 otherwise. */
    static Database runDatabase() throws Exception {
        return "postgres".equals(System.getProperty("nhi.it.db")) ? Database.freshPostgres("127.0.0.1", 5432)
                : Database.h2InMemory();
    }

    /** The same, but kept across a restart of the server: H2 on disk in the H2 run. */
    static Database restartableRunDatabase() throws Exception {
        return "postgres".equals(System.getProperty("nhi.it.db")) ? Database.freshPostgres("127.0.0.1", 5432)
                : Database.h2File();
    }

    /** A realm set up on that server, with the usual people. */
    static NhiRealm realm(KeycloakServer server, Database db, String prefix) {
        return new NhiRealm(new KeycloakExtension.Env(server, db, new RealmAdmin(new RestClient(server.baseUrl()))),
                prefix, "enforce");
    }

    /** The delivery log's backlog line for {@code realm} names records waiting for {@code sink} (only), with their age. */
    static void assertBacklogLogged(KeycloakServer server, NhiRealm realm, String sink) throws IOException {
        assertThat(Files.readString(server.log())).as("the backlog, in the log while the %s sink fails", sink)
                .containsPattern("realm=" + realm.name + " evidence backlog: [1-9][0-9]* records not yet on every sink"
                        + " and [0-9]+ not yet chained, the oldest written [0-9]+ s ago; waiting for the " + sink
                        + " sink, nothing is dropped");
    }
}
